import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hours.models import HoursEntry
from schools.models import StudentProfile
from tests.e2e.conftest import login_through_page
from tests.schools.factories import SchoolClassFactory

pytestmark = pytest.mark.django_db(transaction=True)


def upload(page, name: str, data: bytes) -> None:
    page.set_input_files("input[name=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    page.click("main button[type=submit]")


def test_coordinator_imports_a_roster_records_and_verifies_an_activity_and_the_chart_changes(page, cast):
    SchoolClassFactory(organization=cast.school_a, name="1班", grade="2026级")
    login_through_page(page, "coordinator_a", cast.password)

    # A roster with a mistake: the preview names the row and imports nothing.
    page.goto("/school/school-a/roster/import/")
    upload(page, "名单.csv", "学号,姓名,班级\r\n1001,甲同学,1班\r\n1002,,1班\r\n".encode("gbk"))
    expect(page).to_have_url(re.compile(r"/school/school-a/roster/imports/\d+/$"))
    expect(page.locator("tr[data-row='3']")).to_contain_text(re.compile("name is missing|姓名"))
    assert StudentProfile.objects.count() == 0

    # Fixed file: both rows are new; confirm imports them.
    page.get_by_test_id("discard-import").click()
    expect(page).to_have_url(re.compile(r"/school/school-a/roster/import/$"))
    upload(page, "名单.csv", "学号,姓名,班级\r\n1001,甲同学,1班\r\n1002,乙同学,1班\r\n".encode("utf-8-sig"))
    expect(page.locator("tr.row-error")).to_have_count(0)
    page.get_by_test_id("confirm-import").click()
    expect(page.get_by_test_id("created-count")).to_have_text("2")
    assert set(StudentProfile.objects.values_list("student_number", flat=True)) == {"1001", "1002"}

    year = timezone.localdate()
    page.goto("/school/school-a/report/")
    bar = page.locator("[data-testid=class-chart] g[data-class='1班']")
    expect(bar).to_have_attribute("data-met", "0")
    expect(bar).to_have_attribute("data-total", "2")

    # Record an 8-学时 activity for 甲同学 and verify it.
    day = year - datetime.timedelta(days=1)
    page.goto("/school/school-a/activities/new/")
    page.fill("input[name=title]", "社区义诊")
    page.fill("textarea[name=content]", "协助测量血压，宣传急救知识")
    page.fill("input[name=place]", "幸福社区")
    page.fill("input[name=occurred_on]", day.isoformat())
    page.fill("input[name=start_time]", "08:00")
    page.fill("input[name=end_time]", "16:00")
    page.get_by_label(re.compile("1001 甲同学")).check()
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/school/school-a/activities/\d+/$"))
    assert HoursEntry.objects.get().status == "pending"
    page.get_by_test_id("verify-all").click()
    expect(page.get_by_test_id("entry-status").first).not_to_have_text("")
    assert HoursEntry.objects.get().status == "verified"

    page.goto("/school/school-a/report/")
    expect(page.locator("[data-testid=class-chart] g[data-class='1班']")).to_have_attribute("data-met", "1")
    expect(page.locator("[data-testid=class-table] tr[data-class='1班'] [data-testid=met]")).to_have_text("1")
