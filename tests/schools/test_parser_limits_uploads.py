"""Hostile roster and participant files through the upload pages: the usual per-file message, never a 500.

On PostgreSQL a NUL in any cell was a 500 (text and jsonb cannot hold it); the XLSX below took 64 s and 2.9 GB, then
MemoryError, per upload. Attacks run under tests.core.test_parser_limits.bounded."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from hours.models import HoursEntry
from schools.models import RosterImport, ServiceActivity, StudentProfile
from tests.core.test_parser_limits import HEADER, ONE_STUDENT, bounded, sheet, xlsx
from tests.schools.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db

NUL_ROSTER = "学号,姓名\r\n1001,张三\r\n1002,李\x00四\r\n".encode()
NUL_MESSAGE = (
    "Nothing was imported: row 3, column 姓名: contains a NUL character. Remove these characters and upload the file "
    "again."
)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def upload(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def post_roster(client, data: bytes, name: str):
    return client.post(reverse("schools:school_roster_upload", args=["school-a"]), {"file": upload(data, name)})


def test_a_nul_in_a_roster_is_the_per_file_message_on_every_database(cast, client_for):
    response = post_roster(client_for(cast.coordinator_a), NUL_ROSTER, "roster.csv")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert not RosterImport.objects.exists() and not StudentProfile.objects.exists()


def test_an_xlsx_declaring_the_largest_dimension_previews_its_one_student(cast, client_for):
    data = xlsx(sheet(HEADER + ONE_STUDENT + '<row r="1048576"/>', dimension="A1:XFD1048576"))
    client = client_for(cast.coordinator_a)
    with bounded(seconds=20, memory_mb=300):
        response = post_roster(client, data, "roster.xlsx")
    assert response.status_code == 302
    record = RosterImport.objects.get()
    assert record.total_rows == 1 and record.pending_rows[0]["name"] == "张三"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (xlsx(sheet(HEADER + "<row/>" * 800_000), stored=True), "more than 20000 empty rows"),
        (xlsx(sheet(HEADER + '<row r="2">' + "<c/>" * 1_000_000 + "</row>"), stored=True), "more than 300000 cells"),
        (xlsx(sheet(HEADER + ONE_STUDENT + " " * 20_000_000)), "unpacks to more than 100 times its packed size"),
    ],
    ids=["empty-rows", "cells", "zip-bomb"],
)
def test_a_hostile_xlsx_roster_is_refused_with_the_limit_it_passed(cast, client_for, data, expected):
    client = client_for(cast.coordinator_a)
    with bounded(seconds=30, memory_mb=400):
        response = post_roster(client, data, "roster.xlsx")
    assert response.status_code == 400 and expected in response.content.decode()
    assert not RosterImport.objects.exists()


def test_a_nul_in_a_participants_file_is_the_per_file_message(cast, client_for, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2027, 3, 1))
    StudentProfileFactory(organization=cast.school_a, user=cast.learner, student_number="A001")
    form = {
        "title": "敬老院服务",
        "content": "陪伴老人",
        "place": "幸福敬老院",
        "occurred_on": "2027-02-20",
        "start_time": "09:00",
        "end_time": "11:00",
        "school_year": "2026-2027",
        "participants_file": upload("学号\r\nA001\r\nA\x0002\r\n".encode(), "participants.csv"),
    }
    response = client_for(cast.coordinator_a).post(reverse("schools:school_activity_new", args=["school-a"]), form)
    assert response.status_code == 400
    assert "row 3, column 学号: contains a NUL character" in response.content.decode()
    assert not ServiceActivity.objects.exists() and not HoursEntry.objects.exists()


def test_the_roster_command_answers_with_the_same_message(cast, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(NUL_ROSTER)
    with pytest.raises(CommandError, match="row 3, column 姓名: contains a NUL character"):
        call_command("import_roster", "school-a", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not StudentProfile.objects.exists()
