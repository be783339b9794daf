"""One minutes → 学时 conversion: 15 minutes is 0.3 学时 on every page, PDF, API and export that shows it."""

from decimal import Decimal

import pytest

from certificates.models import CertificateKind
from certificates.services import certificate_issue
from core.hours import hours_text, hours_to_minutes, minutes_to_hours
from core.school_years import school_year_for
from courses.selectors.dashboard import hours_summary
from courses.selectors.transcript import learner_transcript
from exchange.selectors import service_record
from hours.models import HoursEntry
from schools.selectors import compliance
from tests.certificates.factories import CertificateDefinitionFactory
from tests.hours.factories import HoursEntryFactory
from tests.lms.api_helpers import fresh_throttles, token_client  # noqa: F401 - fixture
from tests.schools.factories import StudentProfileFactory


@pytest.mark.parametrize(
    ("minutes", "per_hour", "shown"),
    [(15, 60, "0.3"), (3, 60, "0.1"), (2, 60, "0.0"), (45, 45, "1.0"), (22, 45, "0.5"), (0, 60, "0.0")],
)
def test_the_rounding_rule_is_half_up_to_one_decimal(minutes, per_hour, shown):
    assert minutes_to_hours(minutes, per_hour) == Decimal(shown)


def test_hours_to_minutes_and_text():
    assert hours_to_minutes(Decimal("2.5"), 45) == 113
    assert hours_to_minutes(Decimal("8"), 60) == 480
    assert hours_text(480) == "8" and hours_text(15) == "0.3"


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_throttles")
def test_fifteen_minutes_show_as_the_same_figure_everywhere(cast):
    entry = HoursEntryFactory(
        user=cast.learner, minutes=15, credited_organization=cast.school_a, recorded_by_organization=cast.school_a
    )
    year = school_year_for(entry.occurred_on)
    StudentProfileFactory(user=cast.learner, organization=cast.school_a, student_number="A001")
    figures = {}

    # 1. The compliance report (through the API, as a coordinator reads it).
    body = (
        token_client(cast.coordinator_a)
        .get(f"/api/v1/organizations/{cast.school_a.pk}/compliance/students/", {"school_year": year})
        .json()
    )
    figures["compliance"] = body["results"][0]["practice_hours"]
    context = compliance.compliance_context(organization=cast.school_a, school_year=year)
    assert str(context.hours(15)) == figures["compliance"]

    # 2. The learner's dashboard.
    figures["dashboard"] = str(hours_summary(user=cast.learner, school=cast.school_a, school_year=year).year_hours)

    # 3. The certificates: the school-year certificate and the service record.
    school_year_certificate, _ = certificate_issue(
        definition=CertificateDefinitionFactory(kind=CertificateKind.SCHOOL_YEAR, course=None, issuer=cast.school_a),
        learner=cast.learner,
        source={"school_year": year},
    )
    figures["certificate"] = school_year_certificate.context["practice_hours"]
    service_certificate, _ = certificate_issue(
        definition=CertificateDefinitionFactory(kind=CertificateKind.SERVICE_RECORD, course=None, issuer=cast.school_a),
        learner=cast.learner,
        source={},
    )
    figures["service record"] = service_certificate.context["service_hours"]

    # 4. The transcript.
    figures["transcript"] = str(learner_transcript(learner=cast.learner).hours.service_hours_total)

    # 5. The exchange export.
    figures["exchange"] = service_record(HoursEntry.objects.select_related("user").get(pk=entry.pk))["hours"]

    assert figures == dict.fromkeys(figures, "0.3"), figures


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_throttles")
def test_the_dashboard_counts_toward_the_year_what_the_school_counts(cast):
    """A school that counts only practice: the learner's dashboard, the compliance report and the school-year
    certificate all show the practice alone toward the requirement."""
    from hours.models import HoursKind
    from schools.models import SchoolPolicy

    SchoolPolicy.objects.create(organization=cast.school_a, count_learning=False, count_practice=True)
    practice = HoursEntryFactory(user=cast.learner, minutes=60, credited_organization=cast.school_a)
    HoursEntryFactory(user=cast.learner, kind=HoursKind.LEARNING, minutes=120, credited_organization=cast.school_a)
    year = school_year_for(practice.occurred_on)
    StudentProfileFactory(user=cast.learner, organization=cast.school_a, student_number="A001")
    dashboard = hours_summary(user=cast.learner, school=cast.school_a, school_year=year).year_hours
    body = (
        token_client(cast.coordinator_a)
        .get(f"/api/v1/organizations/{cast.school_a.pk}/compliance/students/", {"school_year": year})
        .json()
    )
    certificate, _ = certificate_issue(
        definition=CertificateDefinitionFactory(kind=CertificateKind.SCHOOL_YEAR, course=None, issuer=cast.school_a),
        learner=cast.learner,
        source={"school_year": year},
    )
    assert (str(dashboard), body["results"][0]["counted_hours"], certificate.context["counted_hours"]) == (
        "1.0",
        "1.0",
        "1",
    )
