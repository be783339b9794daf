"""Users, organisations and memberships. Personal data (PII) is marked on each field that holds it."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import (
    ADULT_AGE,
    DEFAULT_REQUIRED_HOURS,
    GUARDIAN_PRESENT_BELOW_AGE,
    OrganizationKind,
    Role,
    SkillArea,
)
from accounts.validators import mask_name, mask_resident_id, validate_phone, validate_resident_id
from core.dates import age_on


def generate_volunteer_number() -> str:
    """ZY + 12 random digits; uniqueness is enforced by the database (services retry on collision)."""
    return "ZY" + "".join(secrets.choice("0123456789") for _ in range(12))


class User(AbstractUser):
    real_name = models.CharField(_("real name"), max_length=64, blank=True)  # PII
    phone = models.CharField(  # PII
        _("mobile phone"), max_length=11, null=True, blank=True, unique=True, validators=[validate_phone]
    )
    volunteer_number = models.CharField(
        _("volunteer number"), max_length=20, unique=True, default=generate_volunteer_number, editable=False
    )
    resident_id = models.CharField(  # PII: stored only when given, always shown masked
        _("resident ID number"), max_length=18, null=True, blank=True, unique=True, validators=[validate_resident_id]
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)  # PII
    guardian_consent = models.BooleanField(_("guardian consent given"), default=False)
    guardian_name = models.CharField(_("guardian's name"), max_length=64, blank=True)  # PII
    guardian_phone = models.CharField(_("guardian's phone"), max_length=11, blank=True)  # PII
    # A self-registered account learns, but its learning hours and certificates wait until it confirms a code sent
    # to its phone or email (accounts.selectors.user_is_verified, ADR 0021). Every other account (an
    # administrator's, a roster's, the demo's) is vouched for by whoever created it, hence the default.
    identity_verified = models.BooleanField(_("phone or email confirmed"), default=True)
    # What a sign-up gave that must be unique waits here until confirmed, so sign-up never says "already registered".
    pending_phone = models.CharField(_("mobile phone to confirm"), max_length=11, blank=True)  # PII
    pending_resident_id = models.CharField(_("resident ID number to confirm"), max_length=18, blank=True)  # PII

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.real_name or self.get_full_name() or self.username

    @property
    def masked_resident_id(self) -> str:
        return mask_resident_id(self.resident_id or self.pending_resident_id)

    @property
    def masked_name(self) -> str:
        return mask_name(self.display_name)

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth, day)

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def is_minor(self) -> bool:
        age = self.age
        return age is not None and age < ADULT_AGE

    @property
    def needs_guardian_present(self) -> bool:
        age = self.age
        return age is not None and age < GUARDIAN_PRESENT_BELOW_AGE

    @property
    def needs_guardian_consent(self) -> bool:
        return self.is_minor and not self.guardian_consent


class Organization(models.Model):
    # Domain records, not CMS content: keep them out of Wagtail's reference index, which would otherwise be
    # rewritten on every save (bench scenario 5 measured it on roster imports).
    wagtail_reference_index_ignore = True

    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    minutes_per_hour = models.PositiveSmallIntegerField(
        _("minutes per 学时"), default=60, help_text=_("How many minutes make one 学时 (60 by default, or 45).")
    )
    required_hours_override = models.DecimalField(
        _("required 学时 per school year (override)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    skill_area = models.CharField(_("skill area"), max_length=32, choices=SkillArea.choices, blank=True)
    person_in_charge = models.CharField(_("person in charge"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    # The Wagtail page under which this organisation's editors may work (training bases).
    root_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_per_hour__in=[45, 60]), name="organization_minutes_per_hour_45_or_60"
            ),
            models.CheckConstraint(
                condition=Q(required_hours_override__isnull=True) | Q(required_hours_override__gte=0),
                name="organization_required_hours_not_negative",
            ),
        ]
        permissions = [
            ("manage_organization", "Manage the organisation and its memberships"),
            ("manage_students", "Manage the roster and students"),
            ("record_practice", "Record practice activities"),
            ("verify_practice", "Verify practice hours"),
            ("view_reports", "View compliance reports"),
            ("edit_content", "Edit the organisation's course content"),
            ("manage_question_banks", "Manage question banks"),
            ("assess_learners", "Record practical assessments"),
            ("issue_certificates", "Issue and revoke certificates and badges"),
            ("lead_team", "Lead the specialised team"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def required_hours(self) -> Decimal | None:
        """学时 required per school year: the override, else the default for the kind, else None."""
        if self.required_hours_override is not None:
            return self.required_hours_override
        default = DEFAULT_REQUIRED_HOURS.get(self.kind)
        return Decimal(default) if default is not None else None

    @property
    def is_educational(self) -> bool:
        return self.kind in (OrganizationKind.COLLEGE, OrganizationKind.SCHOOL)

    @property
    def permission_organization(self) -> Organization:
        return self


class Membership(models.Model):
    wagtail_reference_index_ignore = True  # see Organization

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"


class ApiToken(models.Model):
    """An API token of one device. Only the SHA-256 digest of its key is stored; the key is shown once, when issued.

    It ends at `expires_at` (moved forward on use when API_TOKEN_SLIDING) and when the user's password changes: the
    password fingerprint it was issued under no longer matches (accounts.backends.ApiTokenAuthentication)."""

    wagtail_reference_index_ignore = True  # see Organization

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_tokens")
    name = models.CharField(_("device"), max_length=64)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    password_fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"))
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-last_used_at", "-pk"]
        constraints = [
            # One token per device: issuing again for a device replaces its token.
            models.UniqueConstraint(fields=["user", "name"], name="apitoken_one_per_device"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"

    @property
    def permission_owner_id(self) -> int:
        return self.user_id
