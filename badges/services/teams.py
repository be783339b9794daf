"""Specialised teams: applying, and the leader's decision. Membership itself is accounts' (role learner)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.constants import OrganizationKind, Role
from accounts.models import Membership, Organization, User
from accounts.permissions import user_can
from accounts.services import membership_add
from badges.models import TeamApplication, TeamApplicationStatus
from badges.selectors import team_eligibility


def _check_team(team: Organization) -> None:
    if team.kind != OrganizationKind.TEAM:
        raise ValidationError(_("%(name)s is not a specialised team.") % {"name": team.name})


def _is_member(team: Organization, user: User) -> bool:
    return Membership.objects.filter(organization=team, user=user, role=Role.LEARNER).exists()


def _missing_message(missing) -> str:
    return _("You need a valid badge first: %(badges)s.") % {"badges": "、".join(badge.name for badge in missing)}


@transaction.atomic
def team_application_create(*, team: Organization, applicant: User, message: str = "") -> TeamApplication:
    """Apply to join. Idempotent: a second application while one is pending returns the pending one."""
    _check_team(team)
    if _is_member(team, applicant):
        raise ValidationError(_("You are already a member of this team."))
    pending = TeamApplication.objects.filter(team=team, applicant=applicant, status=TeamApplicationStatus.PENDING)
    existing = pending.first()
    if existing is not None:
        return existing
    eligibility = team_eligibility(team=team, learner=applicant)
    if not eligibility.eligible:
        raise ValidationError(_missing_message(eligibility.missing))
    try:
        with transaction.atomic():
            return TeamApplication.objects.create(team=team, applicant=applicant, message=(message or "").strip())
    except IntegrityError:
        return pending.get()


def _locked_pending(application: TeamApplication, actor: User) -> TeamApplication:
    if not user_can(actor, "lead_team", application.team):
        raise PermissionDenied(_("Only the team's leader may decide on applications."))
    locked = TeamApplication.objects.select_for_update().select_related("team", "applicant").get(pk=application.pk)
    return locked


@transaction.atomic
def team_application_accept(*, application: TeamApplication, actor: User) -> TeamApplication:
    """Accept an eligible applicant: they become a member. Idempotent: accepting an accepted application is a no-op."""
    locked = _locked_pending(application, actor)
    if locked.status == TeamApplicationStatus.ACCEPTED:
        return locked
    if locked.status != TeamApplicationStatus.PENDING:
        raise ValidationError(_("This application was already decided or withdrawn."))
    eligibility = team_eligibility(team=locked.team, learner=locked.applicant)
    if not eligibility.eligible:
        raise ValidationError(
            _("%(name)s is not eligible: missing %(badges)s.")
            % {"name": locked.applicant.display_name, "badges": "、".join(badge.name for badge in eligibility.missing)}
        )
    membership_add(user=locked.applicant, organization=locked.team, role=Role.LEARNER)
    locked.status = TeamApplicationStatus.ACCEPTED
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    return locked


@transaction.atomic
def team_application_reject(*, application: TeamApplication, actor: User, note: str = "") -> TeamApplication:
    """Decline an application. Idempotent for a declined application."""
    locked = _locked_pending(application, actor)
    if locked.status == TeamApplicationStatus.REJECTED:
        return locked
    if locked.status != TeamApplicationStatus.PENDING:
        raise ValidationError(_("This application was already decided or withdrawn."))
    locked.status = TeamApplicationStatus.REJECTED
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.decision_note = (note or "").strip()[:255]
    locked.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    return locked
