"""Vocabulary shared by every app; it lives in the lowest layer so that all may import it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    CITY_OFFICE = "city_office", _("City volunteer office")
    TRAINING_BASE = "training_base", _("Training base")
    COLLEGE = "college", _("College or university")
    SCHOOL = "school", _("Primary or secondary school")
    TEAM = "team", _("Specialised volunteer team")


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner / student")
    COORDINATOR = "coordinator", _("Coordinator")
    EDITOR = "editor", _("Editor")
    ASSESSOR = "assessor", _("Assessor")
    TEAM_LEADER = "team_leader", _("Team leader")
    ADMIN = "admin", _("Administrator")


class SkillArea(models.TextChoices):
    GENERAL = "general", _("General")
    ORGANISING = "organising", _("Organising and management")
    FIRST_AID = "first_aid", _("Medical first aid")
    FIRE = "fire", _("Fire safety")
    ENVIRONMENT = "environment", _("Environmental protection")
    LEGAL_AID = "legal_aid", _("Legal aid")
    TRAFFIC = "traffic", _("Traffic safety")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    SEARCH_RESCUE = "search_rescue", _("Search and rescue")


# Required learning/practice hours per school year by organisation kind (docs/domain.md).
DEFAULT_REQUIRED_HOURS: dict[str, int] = {OrganizationKind.COLLEGE: 8, OrganizationKind.SCHOOL: 2}

# Age rules (docs/domain.md): under 6 not accepted; under 18 needs a guardian's consent; under 10 a guardian present.
MINIMUM_AGE = 6
GUARDIAN_PRESENT_BELOW_AGE = 10
ADULT_AGE = 18
