import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from hours.models import HoursEntry, HoursKind
from schools.models import RosterImport, ServiceActivity, StudentProfile
from tests.hours.factories import HoursEntryFactory
from tests.schools.factories import SchoolClassFactory, StudentProfileFactory

pytestmark = pytest.mark.django_db

FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture(autouse=True)
def english(client):
    """These tests read the English texts: services under an English override, pages via Accept-Language."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def student_a(cast):
    school_class = SchoolClassFactory(organization=cast.school_a, name="1班")
    return StudentProfileFactory(
        organization=cast.school_a, user=cast.learner, school_class=school_class, student_number="A001"
    )


def school_a_urls(student):
    slug = "school-a"
    return [
        reverse("schools:school_overview", args=[slug]),
        reverse("schools:school_report", args=[slug]),
        reverse("schools:school_export", args=[slug, "xlsx"]),
        reverse("schools:school_export", args=[slug, "csv"]),
        reverse("schools:school_roster", args=[slug]),
        reverse("schools:school_student", args=[slug, student.pk]),
        reverse("schools:school_classes", args=[slug]),
        reverse("schools:school_roster_upload", args=[slug]),
        reverse("schools:school_activities", args=[slug]),
        reverse("schools:school_activity_new", args=[slug]),
    ]


def test_coordinator_of_school_b_and_the_outsider_get_404_on_school_a(cast, student_a, client_for):
    for user in (cast.coordinator_b, cast.outsider):
        client = client_for(user)
        for url in school_a_urls(student_a):
            assert client.get(url).status_code == 404, (user.username, url)


def test_the_coordinator_of_school_a_sees_every_page(cast, student_a, client_for):
    client = client_for(cast.coordinator_a)
    for url in school_a_urls(student_a):
        assert client.get(url).status_code == 200, url


def test_a_student_sees_only_their_own_record(cast, student_a, client_for):
    other = StudentProfileFactory(organization=cast.school_a, student_number="A002")
    client = client_for(cast.learner)
    own = client.get(reverse("schools:school_student", args=["school-a", student_a.pk]))
    assert own.status_code == 200 and "A001" in own.content.decode()
    assert client.get(reverse("schools:school_student", args=["school-a", other.pk])).status_code == 404
    assert client.get(reverse("schools:school_report", args=["school-a"])).status_code == 404
    home = client.get(reverse("schools:school_home")).content.decode()
    assert "A001" in home and "A002" not in home


def test_a_student_record_is_not_reachable_through_another_school(cast, student_a, client_for):
    client = client_for(cast.coordinator_b)
    assert client.get(reverse("schools:school_student", args=["school-b", student_a.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, student_a):
    response = client.get(reverse("schools:school_report", args=["school-a"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("size", [1, 50])
def test_report_page_query_count_does_not_grow_with_students(cast, client_for, size, django_assert_max_num_queries):
    school_class = SchoolClassFactory(organization=cast.school_a, name="1班")
    for number in range(size):
        profile = StudentProfileFactory(
            organization=cast.school_a, school_class=school_class, student_number=f"N{number}"
        )
        HoursEntryFactory(user=profile.user, minutes=30 + number, credited_organization=cast.school_a)
    client = client_for(cast.coordinator_a)
    url = reverse("schools:school_report", args=["school-a"]) + "?year=2026-2027"
    # session, user, organisation, permission, then the report's five (policy, class summary, classes, count,
    # page), then the base template's two user-permission lookups for the menu.
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    assert f"N{size - 1}" in response.content.decode()


def test_report_shows_the_chart_and_filters(cast, student_a, client_for):
    HoursEntryFactory(user=cast.learner, minutes=8 * 60, kind=HoursKind.PRACTICE, credited_organization=cast.school_a)
    StudentProfileFactory(organization=cast.school_a, school_class=student_a.school_class, student_number="A009")
    client = client_for(cast.coordinator_a)
    url = reverse("schools:school_report", args=["school-a"])
    page = client.get(url, {"year": "2026-2027"}).content.decode()
    assert 'data-class="1班" data-met="1" data-total="2"' in page and "<svg" in page and 'role="img"' in page
    met_only = client.get(url, {"year": "2026-2027", "status": "met"}).content.decode()
    assert "A001" in met_only and "A009" not in met_only


def test_exports_neutralise_formula_cells_and_stream(cast, student_a, client_for):
    user = student_a.user
    user.real_name = FORMULA
    user.save()
    HoursEntryFactory(user=user, minutes=120, credited_organization=cast.school_a)
    client = client_for(cast.coordinator_a)
    response = client.get(reverse("schools:school_export", args=["school-a", "csv"]), {"year": "2026-2027"})
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Student number" and rows[1][0] == "A001"
    assert rows[1][2] == "'" + FORMULA

    response = client.get(reverse("schools:school_export", args=["school-a", "xlsx"]), {"year": "2026-2027"})
    assert response.streaming
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=False)
    sheet = workbook.active
    assert sheet.cell(row=2, column=3).value == "'" + FORMULA
    assert sheet.cell(row=2, column=3).data_type == "s"
    assert sheet.cell(row=2, column=8).value == 2.0  # practice 学时
    assert client.get(reverse("schools:school_export", args=["school-a", "pdf"])).status_code == 404


def test_roster_upload_preview_confirm_through_the_pages(cast, client_for):
    SchoolClassFactory(organization=cast.school_a, name="1班")
    client = client_for(cast.coordinator_a)
    data = "学号,姓名,班级\r\n1001,甲,1班\r\n1002,,1班\r\n".encode("gbk")
    upload = io.BytesIO(data)
    upload.name = "名单.csv"
    response = client.post(reverse("schools:school_roster_upload", args=["school-a"]), {"file": upload})
    record = RosterImport.objects.get()
    assert response.status_code == 302 and str(record.pk) in response["Location"]
    preview = client.get(response["Location"]).content.decode()
    assert "name is missing" in preview and "1 new student will be added" in preview
    assert StudentProfile.objects.count() == 0
    # Another school's coordinator cannot confirm it.
    other = client_for(cast.coordinator_b)
    confirm_url = reverse("schools:school_roster_import_confirm", args=["school-a", record.pk])
    assert other.post(confirm_url).status_code == 404
    client = client_for(cast.coordinator_a)
    client.post(confirm_url)
    assert list(StudentProfile.objects.values_list("student_number", flat=True)) == ["1001"]


def test_a_truncated_upload_shows_the_reason(cast, client_for):
    client = client_for(cast.coordinator_a)
    upload = io.BytesIO(b"PK\x03\x04" + b"\x00" * 100)
    upload.name = "roster.xlsx"
    response = client.post(reverse("schools:school_roster_upload", args=["school-a"]), {"file": upload})
    assert response.status_code == 400 and "damaged or incomplete" in response.content.decode()
    assert RosterImport.objects.count() == 0


def test_recording_and_verifying_an_activity_through_the_pages(cast, student_a, client_for, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2027, 3, 1))
    client = client_for(cast.coordinator_a)
    url = reverse("schools:school_activity_new", args=["school-a"])
    form = {
        "title": "敬老院服务",
        "content": "陪伴老人",
        "place": "幸福敬老院",
        "occurred_on": "2027-03-02",
        "start_time": "09:00",
        "end_time": "11:00",
        "school_year": "2026-2027",
        "participants": [student_a.pk],
    }
    refused = client.post(url, form)
    assert refused.status_code == 400 and "in the future" in refused.content.decode()
    assert ServiceActivity.objects.count() == 0
    form["occurred_on"] = "2027-02-20"
    response = client.post(url, form)
    activity = ServiceActivity.objects.get()
    assert response.status_code == 302
    assert (
        client_for(cast.coordinator_b)
        .post(reverse("schools:school_activity_verify", args=["school-a", activity.pk]))
        .status_code
        == 404
    )
    client = client_for(cast.coordinator_a)
    client.post(reverse("schools:school_activity_verify", args=["school-a", activity.pk]))
    assert HoursEntry.objects.get(source_key=f"practice:{activity.pk}:{cast.learner.pk}").status == "verified"


def test_activation_page_sets_the_password(cast, client, student_a):
    student_a.activation_code = "ABCDEFGH23"
    student_a.save()
    url = reverse("schools:school_activate")
    wrong = client.post(
        url, {"username": "learner", "activation_code": "XXXX", "password1": "Serve-88-x", "password2": "Serve-88-x"}
    )
    assert wrong.status_code == 400 and "not correct" in wrong.content.decode()
    ok = client.post(
        url,
        {
            "username": "learner",
            "activation_code": "abcdefgh23",
            "password1": "Serve-88-x!",
            "password2": "Serve-88-x!",
        },
    )
    assert ok.status_code == 302
    cast.learner.refresh_from_db()
    assert cast.learner.check_password("Serve-88-x!")


def test_roster_template_downloads(client_for, cast):
    client = client_for(cast.coordinator_a)
    xlsx = client.get(reverse("schools:school_roster_template", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.cell(row=1, column=1).value == "学号" and sheet.cell(row=1, column=2).value == "姓名"
    text = client.get(reverse("schools:school_roster_template", args=["csv"])).content.decode("utf-8-sig")
    assert text.startswith("学号,姓名,班级")


@pytest.mark.parametrize("size", [1, 50])
def test_roster_and_activity_pages_query_counts_do_not_grow(cast, client_for, size, django_assert_max_num_queries):
    from schools.services.practice import ParticipantInput, service_activity_record

    school_class = SchoolClassFactory(organization=cast.school_a, name="1班")
    profiles = [
        StudentProfileFactory(organization=cast.school_a, school_class=school_class, student_number=f"R{number}")
        for number in range(size)
    ]
    for number in range(min(size, 5)):
        service_activity_record(
            organizer=cast.school_a,
            recorded_by=cast.coordinator_a,
            title=f"活动{number}",
            content="服务",
            place="社区",
            occurred_on=datetime.date(2026, 10, 1 + number),
            school_year="2026-2027",
            duration_minutes=60,
            participants=[ParticipantInput(user=profile.user, minutes=None, label="") for profile in profiles],
        )
    client = client_for(cast.coordinator_a)
    for name in ("schools:school_roster", "schools:school_activities", "schools:school_activity_new"):
        with django_assert_max_num_queries(10):
            assert client.get(reverse(name, args=["school-a"])).status_code == 200
