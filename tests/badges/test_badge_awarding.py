"""Awarding badges: automatic on completion + practical, once per validity period; expiry and renewal; manual
awards and revocation; the 60- and 14-day reminders."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.constants import Role
from accounts.services import membership_add
from badges.models import BadgeAward, BadgeExpiryReminder, BadgeQuizRequirement
from badges.selectors import team_eligibility, team_roster
from badges.services import (
    badge_award_evaluate,
    badge_award_manual,
    badge_award_revoke,
    badge_expiry_reminders_send,
)
from badges.tasks import evaluate_badges
from tests.badges.factories import CPR_FAIL, BadgeClassFactory, first_aid_setup, record_practical
from tests.certificates.factories import complete
from tests.content.factories import CoursePageFactory
from tests.courses.factories import pass_quiz, wrong_answers

pytestmark = pytest.mark.django_db


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def test_first_aid_badge_once_then_team_eligibility_expires_and_renews(cast, django_capture_on_commit_callbacks):
    setup = first_aid_setup(cast)
    learner = cast.learner
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, setup.course)
    assert not BadgeAward.objects.exists()  # the practical is still missing
    assert not team_eligibility(team=setup.team, learner=learner).eligible

    with django_capture_on_commit_callbacks(execute=True):
        record_practical(setup, learner)
    award = BadgeAward.objects.get()
    today = timezone.localdate()
    assert (award.learner, award.valid_from, award.valid_until) == (learner, today, today + relativedelta(months=24))
    assert {item["kind"] for item in award.evidence} == {"course", "practical"}

    # Replays of the task and of the signals never award twice.
    evaluate_badges(learner.pk, course_ids=[setup.course.pk], rubric_ids=[setup.rubric.pk])
    assert badge_award_evaluate(badge_class=setup.badge, learner=learner) is None
    assert BadgeAward.objects.count() == 1

    assert team_eligibility(team=setup.team, learner=learner).eligible
    membership_add(user=learner, organization=setup.team, role=Role.LEARNER)

    expired_day = award.valid_until + datetime.timedelta(days=1)
    assert team_eligibility(team=setup.team, learner=learner, day=award.valid_until).eligible
    lapsed = team_eligibility(team=setup.team, learner=learner, day=expired_day)
    assert not lapsed.eligible and lapsed.missing == [setup.badge]
    _required, roster = team_roster(team=setup.team, day=expired_day)
    assert [(row.member, row.flagged) for row in roster] == [(learner, True)]

    # Two years later: a new CPR sitting renews the badge for a new validity period.
    with mock.patch("django.utils.timezone.now", return_value=_at(expired_day + datetime.timedelta(days=10))):
        with django_capture_on_commit_callbacks(execute=True):
            record_practical(setup, learner)
        renewed = BadgeAward.objects.exclude(pk=award.pk).get()
        assert renewed.valid_from == expired_day + datetime.timedelta(days=10)
        assert team_eligibility(team=setup.team, learner=learner).eligible
        _required, roster = team_roster(team=setup.team)
        assert not roster[0].flagged
    assert BadgeAward.objects.count() == 2


def test_a_failed_practical_awards_nothing(cast, django_capture_on_commit_callbacks):
    setup = first_aid_setup(cast)
    with django_capture_on_commit_callbacks(execute=True):
        complete(cast.learner, setup.course)
        record_practical(setup, cast.learner, results=CPR_FAIL)
    assert not BadgeAward.objects.exists()


def test_evidence_older_than_the_validity_awards_nothing(cast):
    setup = first_aid_setup(cast)
    long_ago = timezone.localdate() - relativedelta(months=30)
    record_practical(setup, cast.learner, on=long_ago)
    with mock.patch("django.utils.timezone.now", return_value=_at(long_ago)):
        complete(cast.learner, setup.course)
    # Both pieces of evidence are 30 months old: an award would already have expired.
    assert badge_award_evaluate(badge_class=setup.badge, learner=cast.learner) is None
    assert not BadgeAward.objects.exists()


def test_all_within_months_rejects_evidence_too_far_apart(cast):
    setup = first_aid_setup(cast, within_months=6)
    record_practical(setup, cast.learner, on=timezone.localdate() - relativedelta(months=8))
    complete(cast.learner, setup.course)
    assert badge_award_evaluate(badge_class=setup.badge, learner=cast.learner) is None
    record_practical(setup, cast.learner)
    assert badge_award_evaluate(badge_class=setup.badge, learner=cast.learner) is not None


def test_a_refresher_course_renews_in_place_of_the_original_course(cast):
    setup = first_aid_setup(cast, within_months=12)
    refresher = CoursePageFactory(parent=setup.course.get_parent(), title="应急救护复训", skill_area="first_aid")
    setup.badge.refresher_courses.add(refresher)
    record_practical(setup, cast.learner, on=timezone.localdate() - relativedelta(months=25))
    with mock.patch("django.utils.timezone.now", return_value=_at(timezone.localdate() - relativedelta(months=25))):
        complete(cast.learner, setup.course)
        first = badge_award_evaluate(badge_class=setup.badge, learner=cast.learner)
    assert first is not None and first.valid_until < timezone.localdate()
    record_practical(setup, cast.learner)
    # The original course is now too old for "within 12 months"; the refresher stands in for it.
    assert badge_award_evaluate(badge_class=setup.badge, learner=cast.learner) is None
    complete(cast.learner, refresher)
    renewed = badge_award_evaluate(badge_class=setup.badge, learner=cast.learner)
    assert renewed is not None and renewed.valid_from == timezone.localdate()


def test_quiz_criterion_needs_the_minimum_score(cast):
    from assessments.services import attempt_start, attempt_submit
    from tests.assessments.factories import quiz_with_questions

    quiz = quiz_with_questions(organization=cast.base_x, count=3, standalone_open=True)
    badge = BadgeClassFactory(issuer=cast.base_x, skill_area="legal_aid")
    BadgeQuizRequirement.objects.create(badge_class=badge, quiz=quiz, min_percent=80)
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    attempt_submit(attempt=attempt, user=cast.learner, answers=wrong_answers(attempt))
    assert badge_award_evaluate(badge_class=badge, learner=cast.learner) is None
    pass_quiz(quiz, cast.learner)
    award = badge_award_evaluate(badge_class=badge, learner=cast.learner)
    assert award is not None and award.evidence[0]["kind"] == "quiz"


def test_the_database_refuses_a_second_award_for_the_same_period(cast):
    setup = first_aid_setup(cast)
    award = badge_award_manual(
        badge_class=setup.badge, learner=cast.learner, actor=_issuer(cast), evidence_note="红十字会证书"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        BadgeAward.objects.create(
            badge_class=setup.badge, learner=cast.learner, issuer=cast.base_x, valid_from=award.valid_from
        )


def _issuer(cast):
    membership_add(user=cast.editor_x, organization=cast.base_x, role=Role.COORDINATOR)
    return cast.editor_x


def test_manual_award_needs_the_issuers_permission_and_evidence(cast):
    setup = first_aid_setup(cast)
    for actor in (cast.outsider, cast.coordinator_a):
        with pytest.raises(PermissionDenied):
            badge_award_manual(badge_class=setup.badge, learner=cast.learner, actor=actor, evidence_note="证书")
    issuer = _issuer(cast)
    with pytest.raises(ValidationError) as error:
        badge_award_manual(badge_class=setup.badge, learner=cast.learner, actor=issuer, evidence_note="  ")
    assert "evidence_note" in error.value.message_dict
    award = badge_award_manual(
        badge_class=setup.badge, learner=cast.learner, actor=issuer, evidence_note="市红十字会救护员证 No.123"
    )
    assert award.awarded_by == issuer and award.credential_jwt
    with pytest.raises(ValidationError):
        badge_award_manual(badge_class=setup.badge, learner=cast.learner, actor=issuer, evidence_note="again")
    assert BadgeAward.objects.count() == 1


def test_revoking_needs_a_reason_and_sticks_through_replays(cast):
    setup = first_aid_setup(cast)
    complete(cast.learner, setup.course)
    record_practical(setup, cast.learner)
    award = badge_award_evaluate(badge_class=setup.badge, learner=cast.learner)
    issuer = _issuer(cast)
    with pytest.raises(PermissionDenied):
        badge_award_revoke(award=award, actor=cast.outsider, reason="x")
    with pytest.raises(ValidationError):
        badge_award_revoke(award=award, actor=issuer, reason="")
    revoked = badge_award_revoke(award=award, actor=issuer, reason="实操考核记录有误")
    assert revoked.revoked_at is not None
    assert badge_award_revoke(award=award, actor=issuer, reason="again").revocation_reason == "实操考核记录有误"
    assert badge_award_evaluate(badge_class=setup.badge, learner=cast.learner) is None
    assert not team_eligibility(team=setup.team, learner=cast.learner).eligible


def test_expiry_reminders_go_out_once_per_threshold(cast):
    setup = first_aid_setup(cast)
    cast.learner.email = "learner@example.cn"
    cast.learner.save()
    award = badge_award_manual(badge_class=setup.badge, learner=cast.learner, actor=_issuer(cast), evidence_note="证书")
    until = award.valid_until
    assert badge_expiry_reminders_send(today=until - datetime.timedelta(days=61)) == 0
    assert badge_expiry_reminders_send(today=until - datetime.timedelta(days=60)) == 1
    assert badge_expiry_reminders_send(today=until - datetime.timedelta(days=59)) == 0
    assert badge_expiry_reminders_send(today=until - datetime.timedelta(days=14)) == 1
    assert badge_expiry_reminders_send(today=until - datetime.timedelta(days=3)) == 0
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["learner@example.cn"]
    assert setup.badge.name in mail.outbox[1].subject
    assert set(BadgeExpiryReminder.objects.values_list("days_before", flat=True)) == {60, 14}


def test_a_late_start_sends_only_the_nearest_reminder_and_a_renewed_badge_none(cast):
    setup = first_aid_setup(cast)
    cast.learner.email = "learner@example.cn"
    cast.learner.save()
    issuer = _issuer(cast)
    start = timezone.localdate() - relativedelta(months=24) + datetime.timedelta(days=10)
    old = badge_award_manual(
        badge_class=setup.badge, learner=cast.learner, actor=issuer, evidence_note="证书", valid_from=start
    )
    assert badge_expiry_reminders_send() == 1
    assert badge_expiry_reminders_send(today=old.valid_until - datetime.timedelta(days=60)) == 0
    assert BadgeExpiryReminder.objects.filter(award=old).count() == 2
    other = cast.coordinator_a
    other.email = "other@example.cn"
    other.save()
    badge_award_manual(badge_class=setup.badge, learner=other, actor=issuer, evidence_note="证书", valid_from=start)
    badge_award_manual(badge_class=setup.badge, learner=other, actor=issuer, evidence_note="复训")
    assert badge_expiry_reminders_send() == 0
    assert [message.to for message in mail.outbox] == [["learner@example.cn"]]


def test_submitting_the_last_quiz_of_a_course_queues_one_badge_evaluation(
    cast, django_capture_on_commit_callbacks, monkeypatch
):
    """docs/flows.md: the graded attempt completes the course and queues one evaluation covering quiz and course."""
    from courses.models import CourseCompletion
    from tests.courses.factories import enrol, learning_course, read_all_lessons

    built = learning_course(cast.base_x, lessons=1)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrol(cast.learner, built.course)
        read_all_lessons(enrollment, built.lessons)
    queued: list[tuple] = []
    monkeypatch.setattr(evaluate_badges, "delay", lambda *args, **kwargs: queued.append((args, kwargs)))
    with django_capture_on_commit_callbacks(execute=True):
        pass_quiz(built.quiz, cast.learner)
    assert CourseCompletion.objects.filter(user=cast.learner, course_id=built.course.pk).exists()
    assert queued == [((cast.learner.pk,), {"quiz_ids": [built.quiz.pk], "course_ids": [built.course.pk]})]
