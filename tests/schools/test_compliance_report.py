import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from hours.models import HoursKind, HoursStatus
from schools.models import SchoolPolicy
from schools.selectors.compliance import (
    AT_RISK,
    MET,
    NOT_MET,
    STATUS_LABELS,
    compliance_class_summary,
    compliance_context,
    compliance_export_rows,
    compliance_report,
    compliance_students,
)
from tests.hours.factories import HoursEntryFactory
from tests.schools.factories import SchoolClassFactory, StudentProfileFactory

pytestmark = pytest.mark.django_db

YEAR = "2026-2027"
MIDYEAR = datetime.date(2027, 3, 1)  # 181 of 365 days elapsed: the pro-rata share of 8 学时 is ~3.97 学时


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def give(profile, minutes, *, kind=HoursKind.PRACTICE, status=HoursStatus.VERIFIED, day=datetime.date(2026, 10, 1)):
    return HoursEntryFactory(
        user=profile.user,
        credited_organization=profile.organization,
        kind=kind,
        minutes=minutes,
        occurred_on=day,
        status=status,
        verified_at=None if status != HoursStatus.VERIFIED else datetime.datetime(2026, 10, 2, tzinfo=datetime.UTC),
    )


def by_number(context, **filters):
    return {student.student_number: student for student in compliance_students(context=context, **filters)}


def test_status_figures_per_student_for_a_college(cast):
    assert cast.school_a.required_hours == 8
    met = StudentProfileFactory(organization=cast.school_a, student_number="A1")
    give(met, 5 * 60, kind=HoursKind.LEARNING)
    give(met, 3 * 60)
    on_pace = StudentProfileFactory(organization=cast.school_a, student_number="A2")
    give(on_pace, 4 * 60)
    behind = StudentProfileFactory(organization=cast.school_a, student_number="A3")
    give(behind, 3 * 60)
    give(behind, 10 * 60, status=HoursStatus.PENDING)  # pending does not count
    give(behind, 10 * 60, day=datetime.date(2026, 8, 31))  # last school year
    give(behind, 10 * 60, kind=HoursKind.TRAINING)  # not counted by the default policy

    context = compliance_context(organization=cast.school_a, school_year=YEAR, today=MIDYEAR)
    assert context.required_minutes == 480 and context.in_progress and 237 <= context.expected_minutes <= 239
    rows = by_number(context)
    assert (rows["A1"].learning_minutes, rows["A1"].practice_minutes, rows["A1"].counted_minutes) == (300, 180, 480)
    assert rows["A1"].compliance_status == MET
    assert rows["A2"].compliance_status == NOT_MET  # not there yet but on schedule
    assert rows["A3"].compliance_status == AT_RISK and rows["A3"].training_minutes == 600
    assert rows["A3"].counted_minutes == 180

    after_the_year = compliance_context(organization=cast.school_a, school_year=YEAR, today=datetime.date(2027, 9, 1))
    assert by_number(after_the_year)["A3"].compliance_status == NOT_MET


def test_the_policy_decides_which_kinds_count_and_45_minute_hours_apply(cast):
    school = cast.school_b
    school.minutes_per_hour = 45
    school.save()
    pupil = StudentProfileFactory(organization=school, student_number="B1")
    give(pupil, 90, kind=HoursKind.TRAINING)
    context = compliance_context(organization=school, school_year=YEAR, today=MIDYEAR)
    assert context.required_minutes == 90
    assert by_number(context)["B1"].compliance_status != MET
    SchoolPolicy.objects.create(organization=school, count_learning=True, count_practice=True, count_training=True)
    context = compliance_context(organization=school, school_year=YEAR, today=MIDYEAR)
    assert by_number(context)["B1"].compliance_status == MET
    assert context.hours(90) == Decimal("2.0")


def test_class_summary_and_filters(cast):
    one = SchoolClassFactory(organization=cast.school_a, name="1班")
    two = SchoolClassFactory(organization=cast.school_a, name="2班")
    for number in range(3):
        profile = StudentProfileFactory(organization=cast.school_a, school_class=one, student_number=f"1-{number}")
        if number == 0:
            give(profile, 480)
    StudentProfileFactory(organization=cast.school_a, school_class=two, student_number="2-0", user__real_name="王五")
    StudentProfileFactory(organization=cast.school_b, student_number="other-school")
    context = compliance_context(organization=cast.school_a, school_year=YEAR, today=MIDYEAR)
    summary = {
        row.name: (row.total, row.met, row.at_risk, row.not_met) for row in compliance_class_summary(context=context)
    }
    assert summary == {"1班": (3, 1, 2, 0), "2班": (1, 0, 1, 0)}
    assert set(by_number(context, school_class_id=one.pk)) == {"1-0", "1-1", "1-2"}
    assert set(by_number(context, status=MET)) == {"1-0"}
    assert set(by_number(context, search="王五")) == {"2-0"}
    assert set(by_number(context, school_class_id=two.pk, status=MET)) == set()


@pytest.mark.parametrize("size", [1, 50])
def test_the_report_for_one_school_year_takes_at_most_five_queries(cast, size, django_assert_max_num_queries):
    classes = [SchoolClassFactory(organization=cast.school_a, name=f"{n}班") for n in range(3)]
    for number in range(size):
        profile = StudentProfileFactory(
            organization=cast.school_a, school_class=classes[number % 3], student_number=f"N{number}"
        )
        give(profile, 60 * (number % 10) + 15, kind=HoursKind.LEARNING)
        give(profile, 30, day=datetime.date(2026, 11, 1))
    with django_assert_max_num_queries(5):
        report = compliance_report(organization=cast.school_a, school_year=YEAR, today=MIDYEAR)
        rows = [
            (student.user.real_name, student.school_class.name, student.compliance_status) for student in report.page
        ]
        totals = report.totals
    assert len(rows) == size and totals.total == size
    assert totals.met + totals.at_risk + totals.not_met == size


def export_rows_from_the_report(context, **filters):
    """What the export must contain: compliance_students' rows, in its order, as spreadsheet values."""
    return [
        [
            student.student_number,
            student.user.volunteer_number,
            student.user.real_name,
            student.school_class.name if student.school_class else "",
            student.grade,
            float(context.required_hours),
            *(
                float(context.hours(minutes))
                for minutes in (
                    student.learning_minutes,
                    student.practice_minutes,
                    student.training_minutes,
                    student.counted_minutes,
                )
            ),
            str(STATUS_LABELS[student.compliance_status]),
        ]
        for student in compliance_students(context=context, **filters)
    ]


@pytest.mark.parametrize("minutes_per_hour", [60, 45])
def test_export_rows_equal_the_report_rows_for_every_filter_in_one_query(
    cast, minutes_per_hour, django_assert_num_queries
):
    school = cast.school_a
    school.minutes_per_hour = minutes_per_hour
    school.save()
    one = SchoolClassFactory(organization=school, name="1班")
    two = SchoolClassFactory(organization=school, name="2班")
    met = StudentProfileFactory(organization=school, school_class=two, student_number="E1")
    give(met, 5 * 60 + 7, kind=HoursKind.LEARNING)
    give(met, 3 * 60)
    behind = StudentProfileFactory(organization=school, school_class=None, student_number="E2", user__real_name="王五")
    give(behind, 100, kind=HoursKind.TRAINING)  # not counted by the default policy
    give(behind, 600, status=HoursStatus.PENDING)
    give(behind, 600, day=datetime.date(2026, 8, 31))  # last school year
    on_pace = StudentProfileFactory(organization=school, school_class=one, student_number="E3")
    give(on_pace, 4 * 60 + 1)
    StudentProfileFactory(organization=school, school_class=one, student_number="E0")  # no entries at all
    midyear = compliance_context(organization=school, school_year=YEAR, today=MIDYEAR)
    for number, minutes in (
        ("X1", midyear.required_minutes),
        ("X2", midyear.expected_minutes),
        ("X3", midyear.expected_minutes - 1),
    ):
        give(StudentProfileFactory(organization=school, school_class=two, student_number=number), minutes)
    # The same person is also a student of school B: their hours count there too, other students' do not leak in.
    StudentProfileFactory(organization=cast.school_b, user=on_pace.user, student_number="B1")
    give(StudentProfileFactory(organization=cast.school_b, student_number="B2"), 600)

    for today in (MIDYEAR, datetime.date(2027, 9, 1)):
        context = compliance_context(organization=school, school_year=YEAR, today=today)
        for filters in (
            {},
            {"status": MET},
            {"status": AT_RISK},
            {"status": NOT_MET},
            {"school_class_id": one.pk},
            {"school_class_id": "none"},
            {"search": "王五"},
            {"search": "E", "status": NOT_MET},
        ):
            expected = export_rows_from_the_report(context, **filters)
            with django_assert_num_queries(1):
                rows = list(compliance_export_rows(context=context, **filters))
            assert rows == expected, (today, filters)
    statuses = {row[0]: row[-1] for row in compliance_export_rows(context=midyear)}
    assert statuses == {
        "E0": "At risk",
        "E1": "Met",
        "E2": "At risk",
        "E3": "Not met",
        "X1": "Met",
        "X2": "Not met",
        "X3": "At risk",
    }


def test_only_hours_credited_to_the_school_count_on_its_report_and_export(cast):
    """The report, the export, the school-year certificate and the learner's dashboard count one thing: the year's
    verified hours credited to the school (hours credited to another school count there)."""
    profile = StudentProfileFactory(organization=cast.school_a, student_number="A1")
    give(profile, 2 * 60)
    HoursEntryFactory(
        user=profile.user, credited_organization=cast.school_b, minutes=5 * 60, occurred_on=datetime.date(2026, 10, 1)
    )
    context = compliance_context(organization=cast.school_a, school_year=YEAR, today=MIDYEAR)
    assert by_number(context)["A1"].counted_minutes == 120
    exported = list(compliance_export_rows(context=context))
    assert len(exported) == 1 and 2.0 in exported[0] and 7.0 not in exported[0] and 5.0 not in exported[0]
