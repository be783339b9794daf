"""xAPI statements about learning events, stored always and forwarded to an LRS when one is configured."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class XapiStatement(models.Model):
    """One xAPI statement (lesson completed, attempt graded, course completed), kept whole as sent to an LRS.

    The actor is the volunteer number, never a name (no PII leaves in statements). `source_key` names the event
    and is unique, so a replayed signal records nothing twice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xapi_statements")
    verb = models.CharField(_("verb"), max_length=32)
    activity_type = models.CharField(_("activity type"), max_length=32)
    activity_id = models.PositiveIntegerField(_("activity id"))
    # The school or training base whose coordinators may read this statement (None: only the learner).
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_key = models.CharField(_("source"), max_length=160, unique=True)
    statement = models.JSONField(_("statement"))
    timestamp = models.DateTimeField(_("timestamp"))
    stored_at = models.DateTimeField(auto_now_add=True)
    forwarded_at = models.DateTimeField(_("forwarded to the LRS at"), null=True, blank=True)

    class Meta:
        db_table = "lms_xapistatement"
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        ordering = ["-timestamp", "-stored_at"]
        indexes = [
            models.Index(fields=["user", "timestamp"]),
            models.Index(fields=["organization", "timestamp"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.verb} {self.activity_type}:{self.activity_id}"

    @property
    def permission_owner_id(self) -> int:
        return self.user_id
