"""The one table of the bench-only baseline views (scenario 2's minimal POST writes one row here)."""

from django.conf import settings
from django.db import models


class BaselineRow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    payload = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id} · {self.created_at:%H:%M:%S}"
