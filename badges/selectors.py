"""Reads for badges and teams: criteria evaluation, valid badges, team eligibility, rosters and the leader's search.

Eligibility is computed from awards valid on a day (unrevoked, started, not ended); nothing is stored, so an expired
badge stops counting on the day after its end without a nightly job."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.constants import OrganizationKind, Role
from accounts.models import Membership, Organization, User
from badges.models import (
    BadgeAward,
    BadgeClass,
    TeamApplication,
    TeamApplicationStatus,
    TeamRequiredBadge,
    valid_awards_q,
)

SEARCH_LIMIT = 50
EXPIRING_SOON_DAYS = 60


@dataclass(frozen=True)
class EvidenceItem:
    kind: str  # course, quiz, practical
    object_id: int
    on: datetime.date
    name: str

    def as_json(self) -> dict:
        return {"kind": self.kind, "id": self.object_id, "date": self.on.isoformat(), "name": self.name}


@dataclass
class CriteriaResult:
    met: bool
    earned_on: datetime.date | None = None
    evidence: list[EvidenceItem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _latest(items: list[EvidenceItem]) -> EvidenceItem | None:
    return max(items, key=lambda item: item.on, default=None)


def badge_criteria_evaluate(
    *, badge_class: BadgeClass, learner: User, at: datetime.datetime | None = None
) -> CriteriaResult:
    """Are the badge's criteria met on `at`, and by which (newest) evidence? Each requirement counts its newest
    qualifying evidence, so that a newer sitting or a refresher course starts a new validity period."""
    from assessments.models import Attempt, PracticalAssessment
    from courses.models import CourseCompletion

    at = at or timezone.now()
    today = timezone.localdate(at)
    course_ids = [course.pk for course in badge_class.courses.all()]
    refresher_ids = [course.pk for course in badge_class.refresher_courses.all()]
    rubrics = list(badge_class.rubrics.all())
    quiz_requirements = list(badge_class.quiz_requirements.select_related("quiz"))

    completions = [
        EvidenceItem(
            "course", completion.course_id, timezone.localdate(completion.completed_at), completion.course.title
        )
        for completion in CourseCompletion.objects.filter(
            user=learner, course_id__in=course_ids + refresher_ids, completed_at__lte=at
        ).select_related("course")
    ]
    refreshers = [item for item in completions if item.object_id in refresher_ids]
    chosen: list[EvidenceItem] = []
    missing: list[str] = []
    titles = {course.pk: course.title for course in badge_class.courses.all()}
    for course_id in course_ids:
        found = _latest([item for item in completions if item.object_id == course_id] + refreshers)
        if found is None:
            missing.append(titles[course_id])
        else:
            chosen.append(found)

    if quiz_requirements:
        attempts = list(
            Attempt.objects.filter(
                user=learner,
                quiz_id__in=[requirement.quiz_id for requirement in quiz_requirements],
                submitted_at__lte=at,
                percent__isnull=False,
            ).only("pk", "quiz_id", "percent", "submitted_at")
        )
        for requirement in quiz_requirements:
            found = _latest(
                [
                    EvidenceItem("quiz", attempt.pk, timezone.localdate(attempt.submitted_at), requirement.quiz.title)
                    for attempt in attempts
                    if attempt.quiz_id == requirement.quiz_id
                    and attempt.percent is not None
                    and attempt.percent >= requirement.min_percent
                ]
            )
            if found is None:
                missing.append(f"{requirement.quiz.title} ≥ {requirement.min_percent}%")
            else:
                chosen.append(found)

    if rubrics:
        sittings = list(
            PracticalAssessment.objects.filter(
                learner=learner, rubric__in=rubrics, passed=True, assessed_on__lte=today
            ).only("pk", "rubric_id", "assessed_on")
        )
        for rubric in rubrics:
            found = _latest(
                [
                    EvidenceItem("practical", sitting.pk, sitting.assessed_on, rubric.title)
                    for sitting in sittings
                    if sitting.rubric_id == rubric.pk
                ]
            )
            if found is None:
                missing.append(rubric.title)
            else:
                chosen.append(found)

    if missing or not chosen:
        return CriteriaResult(met=False, evidence=chosen, missing=missing)
    earned_on = max(item.on for item in chosen)
    if badge_class.within_months:
        earliest_allowed = earned_on - relativedelta(months=badge_class.within_months)
        stale = [item.name for item in chosen if item.on < earliest_allowed]
        if stale:
            return CriteriaResult(met=False, earned_on=earned_on, evidence=chosen, missing=stale)
    return CriteriaResult(met=True, earned_on=earned_on, evidence=chosen)


def badge_classes_using(*, course_ids=(), rubric_ids=(), quiz_ids=()) -> QuerySet[BadgeClass]:
    """Active badge classes whose criteria mention any of these courses, rubrics or quizzes."""
    condition = Q(pk__in=[])
    if course_ids:
        condition |= Q(courses__in=course_ids) | Q(refresher_courses__in=course_ids)
    if rubric_ids:
        condition |= Q(rubrics__in=rubric_ids)
    if quiz_ids:
        condition |= Q(quiz_requirements__quiz__in=quiz_ids)
    return BadgeClass.objects.filter(condition, is_active=True).distinct()


def awards_of_learner(*, learner: User) -> QuerySet[BadgeAward]:
    return (
        BadgeAward.objects.filter(learner=learner)
        .select_related("badge_class", "issuer")
        .order_by("badge_class__name", "-valid_from")
    )


def valid_badge_class_ids(*, learner: User, day: datetime.date | None = None) -> set[int]:
    day = day or timezone.localdate()
    return set(BadgeAward.objects.filter(valid_awards_q(day), learner=learner).values_list("badge_class_id", flat=True))


@dataclass
class Eligibility:
    eligible: bool
    required: list[BadgeClass]
    missing: list[BadgeClass]


def team_eligibility(*, team: Organization, learner: User, day: datetime.date | None = None) -> Eligibility:
    required = [row.badge_class for row in TeamRequiredBadge.objects.filter(team=team).select_related("badge_class")]
    held = valid_badge_class_ids(learner=learner, day=day)
    missing = [badge for badge in required if badge.pk not in held]
    return Eligibility(eligible=not missing, required=required, missing=missing)


def teams_for_volunteers() -> QuerySet[Organization]:
    return (
        Organization.objects.filter(kind=OrganizationKind.TEAM)
        .prefetch_related(Prefetch("required_badges", queryset=TeamRequiredBadge.objects.select_related("badge_class")))
        .order_by("name")
    )


def _required_ids(team: Organization) -> list[int]:
    return list(TeamRequiredBadge.objects.filter(team=team).values_list("badge_class_id", flat=True))


def _valid_awards_prefetch(required_ids: list[int], day: datetime.date) -> Prefetch:
    return Prefetch(
        "badge_awards",
        queryset=BadgeAward.objects.filter(valid_awards_q(day), badge_class_id__in=required_ids)
        .select_related("badge_class")
        .order_by("badge_class__name", "-valid_until"),
        to_attr="valid_required_awards",
    )


def _is_member(team: Organization):
    return Exists(Membership.objects.filter(user=OuterRef("pk"), organization=team, role=Role.LEARNER))


def eligible_volunteers(
    *, team: Organization, query: str = "", day: datetime.date | None = None, limit: int = SEARCH_LIMIT
) -> list[User]:
    """Volunteers who hold every required badge valid on `day` and are not yet members: three queries whatever
    the number of candidates (required ids, users with a per-user count of valid required badges, their awards)."""
    day = day or timezone.localdate()
    required_ids = _required_ids(team)
    users = User.objects.filter(is_active=True).exclude(_is_member(team))
    if required_ids:
        users = users.annotate(
            valid_required=Count(
                "badge_awards__badge_class",
                distinct=True,
                filter=valid_awards_q(day, prefix="badge_awards__") & Q(badge_awards__badge_class__in=required_ids),
            )
        ).filter(valid_required=len(required_ids))
    query = query.strip()
    if query:
        users = users.filter(
            Q(real_name__icontains=query) | Q(volunteer_number__iexact=query) | Q(username__iexact=query)
        )
    users = users.annotate(
        has_pending_application=Exists(
            TeamApplication.objects.filter(team=team, applicant=OuterRef("pk"), status=TeamApplicationStatus.PENDING)
        )
    )
    return list(users.order_by("real_name", "pk").prefetch_related(_valid_awards_prefetch(required_ids, day))[:limit])


@dataclass
class RosterRow:
    member: User
    awards: list[BadgeAward]
    missing: list[BadgeClass]
    expiring_soon: bool

    @property
    def flagged(self) -> bool:
        return bool(self.missing)


def team_roster(*, team: Organization, day: datetime.date | None = None) -> tuple[list[BadgeClass], list[RosterRow]]:
    """Members with each required badge's validity; members missing a valid required badge are flagged (first)."""
    day = day or timezone.localdate()
    required = [row.badge_class for row in TeamRequiredBadge.objects.filter(team=team).select_related("badge_class")]
    required_ids = [badge.pk for badge in required]
    members = (
        User.objects.filter(memberships__organization=team, memberships__role=Role.LEARNER)
        .distinct()
        .order_by("real_name", "pk")
        .prefetch_related(_valid_awards_prefetch(required_ids, day))
    )
    soon = day + datetime.timedelta(days=EXPIRING_SOON_DAYS)
    rows = []
    for member in members:
        best: dict[int, BadgeAward] = {}
        for award in member.valid_required_awards:  # type: ignore[attr-defined]  # Prefetch to_attr
            current = best.get(award.badge_class_id)
            if current is None or (
                current.valid_until is not None
                and (award.valid_until is None or award.valid_until > current.valid_until)
            ):
                best[award.badge_class_id] = award
        awards = [best[badge.pk] for badge in required if badge.pk in best]
        rows.append(
            RosterRow(
                member=member,
                awards=awards,
                missing=[badge for badge in required if badge.pk not in best],
                expiring_soon=any(award.valid_until is not None and award.valid_until <= soon for award in awards),
            )
        )
    rows.sort(key=lambda row: not row.flagged)
    return required, rows


def pending_applications(*, team: Organization, day: datetime.date | None = None) -> list[TeamApplication]:
    day = day or timezone.localdate()
    required_ids = _required_ids(team)
    applications = list(
        TeamApplication.objects.filter(team=team, status=TeamApplicationStatus.PENDING)
        .select_related("applicant")
        .prefetch_related(
            Prefetch(
                "applicant__badge_awards",
                queryset=BadgeAward.objects.filter(valid_awards_q(day), badge_class_id__in=required_ids),
                to_attr="valid_required_awards",
            )
        )
        .order_by("created_at")
    )
    for application in applications:
        held = {award.badge_class_id for award in application.applicant.valid_required_awards}  # type: ignore[attr-defined]
        application.eligible = set(required_ids) <= held  # type: ignore[attr-defined]  # read by the template
    return applications


def teams_led_by(*, user: User) -> QuerySet[Organization]:
    from accounts.permissions import organizations_for_user

    return organizations_for_user(user, "lead_team").filter(kind=OrganizationKind.TEAM).order_by("name")


def awards_for_issuer(*, user: User) -> QuerySet[BadgeAward]:
    from accounts.permissions import organizations_for_user

    return (
        BadgeAward.objects.filter(issuer__in=organizations_for_user(user, "issue_certificates"))
        .select_related("badge_class", "learner", "issuer")
        .order_by("-issued_at", "-pk")
    )


def revoked_award_ids(*, issuer: Organization) -> list[int]:
    return list(BadgeAward.objects.filter(issuer=issuer, revoked_at__isnull=False).values_list("pk", flat=True))
