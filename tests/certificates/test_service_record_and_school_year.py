"""The service-record certificate (志愿服务记录证明, 谁记录谁证明) and the school-year hours certificate."""

import datetime
import subprocess

import pytest

from certificates.models import CertificateKind
from certificates.services import certificate_issue, certificate_render_pdf
from certificates.services.context import CertificateNotEarned
from hours.models import HoursKind
from hours.services import hours_entry_record
from tests.certificates.factories import CertificateDefinitionFactory, practice_hours
from tests.conftest import has_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(cast):
    cast.learner.resident_id = "11010519491231002X"
    cast.learner.save()
    return cast.learner


@pytest.fixture
def record_definition(cast):
    return CertificateDefinitionFactory(
        kind=CertificateKind.SERVICE_RECORD,
        course=None,
        issuer=cast.school_a,
        title="志愿服务记录证明",
        number_prefix="AJL",
        person_in_charge="赵校长",
        handler_name="钱经办",
        handler_contact="13800000000",
    )


def test_only_verified_practice_recorded_by_the_issuer_counts(cast, volunteer, record_definition):
    practice_hours(volunteer, organization=cast.school_a, minutes=120, source="a1", description="社区敬老服务")
    practice_hours(volunteer, organization=cast.school_a, minutes=90, source="a2", description="河道清洁")
    practice_hours(volunteer, organization=cast.school_a, minutes=600, source="a3", verified=False)
    practice_hours(volunteer, organization=cast.school_b, minutes=300, source="b1")
    hours_entry_record(
        user=volunteer,
        kind=HoursKind.LEARNING,
        minutes=240,
        occurred_on=datetime.date(2026, 10, 1),
        source_key="learning-1",
        credited_organization=cast.school_a,
        recorded_by_organization=cast.school_a,
        verified=True,
    )
    certificate, created = certificate_issue(
        definition=record_definition, learner=volunteer, source={"period_end": "2026-12-31"}
    )
    assert created
    context = certificate.context
    assert context["service_minutes"] == 210
    assert context["service_hours"] == "3.5"
    assert [line["content"] for line in context["service_lines"]] == ["社区敬老服务", "河道清洁"]
    # The required fields of docs/domain.md
    assert context["holder_name"] == "张学员"
    assert context["id_type"] == "居民身份证"
    assert context["id_number_masked"] == "1101**********002X"
    assert context["volunteer_number"] == volunteer.volunteer_number
    assert context["issuer_name"] == "A 学院"
    assert context["person_in_charge"] == "赵校长"
    assert (context["handler_name"], context["handler_contact"]) == ("钱经办", "13800000000")
    assert context["number"].startswith("AJL") and context["issued_on"]
    assert "11010519491231002X" not in str(context)


@pytest.mark.skipif(not has_program("pdftotext"), reason="needs poppler-utils")
def test_the_service_record_pdf_carries_the_required_fields(cast, volunteer, record_definition, tmp_path):
    practice_hours(volunteer, organization=cast.school_a, minutes=120, source="a1", description="社区敬老服务")
    certificate, _created = certificate_issue(definition=record_definition, learner=volunteer, source={})
    path = tmp_path / "record.pdf"
    path.write_bytes(certificate_render_pdf(certificate=certificate).pdf.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        "志愿服务记录证明",
        "张学员",
        "居民身份证",
        "1101**********002X",
        volunteer.volunteer_number,
        "社区敬老服务",
        "A 学院",
        "赵校长",
        "钱经办",
        "13800000000",
        certificate.number,
    ):
        assert expected in text, expected


def test_no_verified_hours_from_the_issuer_means_no_certificate(cast, volunteer, record_definition):
    practice_hours(volunteer, organization=cast.school_b, minutes=300, source="b1")
    practice_hours(volunteer, organization=cast.school_a, minutes=300, source="a-pending", verified=False)
    with pytest.raises(CertificateNotEarned) as error:
        certificate_issue(definition=record_definition, learner=volunteer, source={})
    assert "A 学院" in error.value.messages[0]


def test_the_same_period_is_issued_once(cast, volunteer, record_definition):
    practice_hours(volunteer, organization=cast.school_a, minutes=120, source="a1")
    source = {"period_start": "2026-09-01", "period_end": "2026-12-31"}
    first, created_first = certificate_issue(definition=record_definition, learner=volunteer, source=source)
    second, created_second = certificate_issue(definition=record_definition, learner=volunteer, source=source)
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk


def test_the_school_year_certificate_counts_the_years_hours(cast, volunteer):
    definition = CertificateDefinitionFactory(
        kind=CertificateKind.SCHOOL_YEAR, course=None, issuer=cast.school_a, title="学年志愿服务学时证明"
    )
    practice_hours(volunteer, organization=cast.school_a, minutes=300, source="p1", day=datetime.date(2026, 10, 1))
    practice_hours(volunteer, organization=cast.school_a, minutes=600, source="old", day=datetime.date(2025, 10, 1))
    hours_entry_record(
        user=volunteer,
        kind=HoursKind.LEARNING,
        minutes=240,
        occurred_on=datetime.date(2026, 11, 1),
        source_key="learning-1",
        credited_organization=cast.school_a,
        verified=True,
    )
    certificate, _created = certificate_issue(
        definition=definition, learner=volunteer, source={"school_year": "2026-2027"}
    )
    context = certificate.context
    assert (context["school_year"], context["practice_hours"], context["learning_hours"]) == ("2026-2027", "5", "4")
    assert context["counted_hours"] == "9" and context["required_hours"] == "8"
    assert context["requirement_met"] is True
    assert certificate.source_key == "school-year:2026-2027"
    with pytest.raises(CertificateNotEarned):
        certificate_issue(definition=definition, learner=volunteer, source={"school_year": "2024-2025"})
