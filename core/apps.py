from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    """What several apps need and no domain owns: API errors, bulk updates, spreadsheets, PDFs, hours and ages."""

    verbose_name = _("Shared foundations")
