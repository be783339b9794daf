"""An extension point of the learner dashboard: higher apps add sections without `courses` importing them.

A provider is a callable `provider(*, user) -> DashboardSection | None`, registered from the higher app's
AppConfig.ready() (certificates registers certificates and badges). Each provider should cost a constant number of
queries: the dashboard's query budget (15) includes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts.models import User


@dataclass(frozen=True)
class DashboardSection:
    template_name: str
    context: dict = field(default_factory=dict)


Provider = Callable[..., DashboardSection | None]
_providers: list[Provider] = []


def dashboard_section_register(provider: Provider) -> None:
    """Add a provider once (idempotent, so a second ready() does not duplicate a section)."""
    if provider not in _providers:
        _providers.append(provider)


def dashboard_sections(*, user: User) -> list[DashboardSection]:
    sections = (provider(user=user) for provider in _providers)
    return [section for section in sections if section is not None]
