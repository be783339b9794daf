import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from openpyxl import Workbook

from accounts.constants import Role
from accounts.models import Membership, User
from accounts.permissions import user_can
from accounts.validators import resident_id_check_char
from schools.models import RosterImport, StudentProfile
from schools.services.roster import roster_file_import, roster_import_confirm, roster_import_preview
from schools.services.students import student_account_activate
from tests.schools.factories import SchoolClassFactory, StudentProfileFactory

pytestmark = pytest.mark.django_db

HEADER = "学号,姓名,班级,年级,身份证号,出生日期,手机号,监护人姓名,监护人手机号,电子邮箱"
FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def resident_id(birth: str, serial: str = "123") -> str:
    first = f"110101{birth}{serial}"
    return first + resident_id_check_char(first)


def csv_bytes(rows: list[str], encoding: str) -> bytes:
    return "\r\n".join([HEADER, *rows]).encode(encoding)


@pytest.fixture
def classes(cast):
    return [
        SchoolClassFactory(organization=cast.school_a, name="初一(1)班", grade="七年级"),
        SchoolClassFactory(organization=cast.school_a, name="初一(2)班", grade="七年级"),
    ]


def test_gbk_csv_from_excel_imports_chinese_names_and_flags_minors(cast, classes):
    data = csv_bytes(
        [
            "20260101,王小明,初一(1)班,,,2014-03-15,,王建国,13900139000,",
            "20260102,欧阳娜娜,初一(2)班,,,2000-01-01,,,,",
        ],
        "gbk",
    )
    record, validation = roster_file_import(organization=cast.school_a, data=data, file_name="名单.csv")
    assert validation.error_rows == []
    assert record.created_count == 2 and record.status == RosterImport.Status.IMPORTED
    pupil = StudentProfile.objects.get(organization=cast.school_a, student_number="20260101")
    assert pupil.user.real_name == "王小明"
    assert pupil.school_class == classes[0] and pupil.grade == "七年级"
    assert pupil.guardian_consent_required and pupil.user.needs_guardian_consent
    assert pupil.user.guardian_phone == "13900139000"
    adult = StudentProfile.objects.get(student_number="20260102")
    assert adult.user.real_name == "欧阳娜娜" and not adult.guardian_consent_required
    assert Membership.objects.filter(user=pupil.user, organization=cast.school_a, role=Role.LEARNER).exists()
    assert user_can(pupil.user, "view_organization", cast.school_a)
    assert len(pupil.activation_code) == 10 and not pupil.user.has_usable_password()


def test_utf8_bom_csv_is_read_without_a_stray_header_character(cast, classes):
    data = csv_bytes(["20260201,张三,初一(1)班,,,,,,,"], "utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    record, validation = roster_file_import(organization=cast.school_a, data=data, file_name="roster.csv")
    assert validation.error_rows == [] and record.created_count == 1
    assert StudentProfile.objects.get(student_number="20260201").user.real_name == "张三"


def test_each_bad_row_is_reported_with_its_reason_and_nothing_is_created_before_confirmation(cast, classes):
    StudentProfileFactory(organization=cast.school_a, student_number="20269999", user__real_name="老学生")
    rows = [
        "20260301,,初一(1)班,,,,,,,",  # row 2: missing name
        "20260302,甲,初一(1)班,,,,,,,",  # row 3: duplicate in file (with row 4)
        "20260302,乙,初一(1)班,,,,,,,",  # row 4
        "20269999,新名字,初一(1)班,,,,,,,",  # row 5: number taken in the school by someone else
        f"20260303,丙,初一(1)班,,{resident_id('20100101')[:-1]}0,,,,,",  # row 6: bad checksum (unless it was 0)
        "20260304,丁,初一(1)班,,,2013-02-30,,,,",  # row 7: impossible date
        "20260305,戊,火星班,,,,,,,",  # row 8: unknown class
        "20260306,己,初一(2)班,,,,,,,",  # row 9: fine
    ]
    if resident_id("20100101").endswith("0"):
        rows[4] = f"20260303,丙,初一(1)班,,{resident_id('20100101')[:-1]}1,,,,,"
    record, validation = roster_import_preview(
        organization=cast.school_a, uploaded_by=cast.coordinator_a, data=csv_bytes(rows, "utf-8"), file_name="r.csv"
    )
    errors = {row.row: " ".join(row.errors) for row in validation.error_rows}
    assert "name is missing" in errors[2]
    assert "appears more than once" in errors[3] and "row 4" in errors[3]
    assert "appears more than once" in errors[4] and "row 3" in errors[4]
    assert "already used in this school by 老学生" in errors[5]
    assert "check digit" in errors[6]
    assert "not a real date" in errors[7]
    assert "Unknown class" in errors[8] and "火星班" in errors[8]
    assert 9 not in errors and len(validation.new_rows) == 1
    assert (record.total_rows, record.valid_rows, record.error_rows) == (8, 1, 7)
    assert StudentProfile.objects.filter(organization=cast.school_a).count() == 1  # only the existing one

    confirmed = roster_import_confirm(roster_import=record, confirmed_by=cast.coordinator_a)
    assert confirmed.created_count == 1 and confirmed.pending_rows == []
    assert set(StudentProfile.objects.values_list("student_number", flat=True)) == {"20269999", "20260306"}
    again = roster_import_confirm(roster_import=record, confirmed_by=cast.coordinator_a)
    assert again.created_count == 1 and StudentProfile.objects.count() == 2


def test_reimporting_the_same_file_adds_and_changes_nothing(cast, classes):
    data = csv_bytes(["20260401,周一,初一(1)班,,,,,,,", "20260402,周二,初一(2)班,,,,,,,"], "utf-8")
    first, _ = roster_file_import(organization=cast.school_a, data=data, file_name="r.csv")
    users_before = User.objects.count()
    codes_before = dict(StudentProfile.objects.values_list("student_number", "activation_code"))
    second, _validation = roster_file_import(organization=cast.school_a, data=data, file_name="r.csv")
    assert (second.created_count, second.unchanged_count) == (0, 2)
    assert User.objects.count() == users_before
    assert dict(StudentProfile.objects.values_list("student_number", "activation_code")) == codes_before
    assert second.file_hash == first.file_hash
    assert RosterImport.objects.filter(organization=cast.school_a).count() == 2  # the history keeps both


def test_formula_like_cells_in_an_xlsx_are_stored_as_text(cast, classes):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["学号", "姓名", "班级"])
    sheet.append([20260501, FORMULA, "初一(1)班"])
    sheet.append(["20260502", "@SUM(1+1)", "初一(1)班"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    record, validation = roster_file_import(organization=cast.school_a, data=buffer.getvalue(), file_name="r.xlsx")
    assert validation.error_rows == [] and record.created_count == 2
    assert StudentProfile.objects.get(student_number="20260501").user.real_name == FORMULA
    assert StudentProfile.objects.get(student_number="20260502").user.real_name == "@SUM(1+1)"


def test_a_truncated_xlsx_is_refused_with_a_clear_message_and_nothing_imported(cast, classes):
    workbook = Workbook()
    workbook.active.append(["学号", "姓名"])
    for number in range(200):
        workbook.active.append([f"2026{number:04d}", f"学生{number}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    truncated = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    with pytest.raises(ValidationError) as error:
        roster_import_preview(organization=cast.school_a, uploaded_by=None, data=truncated, file_name="r.xlsx")
    assert "damaged or incomplete" in error.value.messages[0]
    assert StudentProfile.objects.count() == 0 and RosterImport.objects.count() == 0


def test_a_resident_id_fills_in_the_birth_date_and_a_mismatch_is_an_error(cast, classes):
    good = resident_id("20120315")
    data = csv_bytes(
        [f"20260601,甲,,,{good},,,,,", f"20260602,乙,,,{resident_id('20120316', '456')},2012-01-01,,,,"], "utf-8"
    )
    _record, validation = roster_import_preview(
        organization=cast.school_a, uploaded_by=None, data=data, file_name="r.csv"
    )
    assert validation.rows[0].data["date_of_birth"] == "2012-03-15" and validation.rows[0].minor
    assert "does not match" in " ".join(validation.rows[1].errors)


def test_import_roster_command_dry_run_writes_nothing(cast, classes, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(["20260701,吴一,初一(1)班,,,,,,,", "20260701,吴二,初一(1)班,,,,,,,"], "gb18030"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", "school-a", str(path), "--dry-run", stdout=out, stderr=err)
    assert "would add 0" in out.getvalue() and "row 2" in err.getvalue()
    assert StudentProfile.objects.count() == 0 and RosterImport.objects.count() == 0
    path.write_bytes(csv_bytes(["20260701,吴一,初一(1)班,,,,,,,"], "gb18030"))
    call_command("import_roster", "school-a", str(path), stdout=out, stderr=err)
    assert StudentProfile.objects.filter(student_number="20260701").exists()
    with pytest.raises(CommandError):
        call_command("import_roster", "no-such-school", str(path))


def test_an_imported_student_activates_the_account_once(cast, classes):
    roster_file_import(
        organization=cast.school_a, data=csv_bytes(["20260801,钱一,,,,,,,,"], "utf-8"), file_name="r.csv"
    )
    profile = StudentProfile.objects.select_related("user").get(student_number="20260801")
    with pytest.raises(ValidationError):
        student_account_activate(
            username=profile.user.username, activation_code="WRONGCODE2", password="Serve-88-Others"
        )
    user = student_account_activate(
        username=profile.user.username, activation_code=profile.activation_code.lower(), password="Serve-88-Others"
    )
    assert user.check_password("Serve-88-Others")
    profile.refresh_from_db()
    assert profile.activation_code == "" and profile.activated_at is not None
    with pytest.raises(ValidationError):
        student_account_activate(username=profile.user.username, activation_code="", password="Serve-88-Others")


def test_the_roster_applies_the_minimum_age_and_the_year_check_of_sign_up(cast, classes):
    young = (timezone.localdate() - datetime.timedelta(days=365 * 4)).isoformat()
    rows = [
        f"20260401,小不点,初一(1)班,,,{young},,,,",  # row 2: younger than the minimum age
        "20260402,老古董,初一(1)班,,,1850-01-01,,,,",  # row 3: before 1900
        "20260403,正常,初一(1)班,,,2014-03-15,,,,",  # row 4: fine
    ]
    _record, validation = roster_import_preview(
        organization=cast.school_a, uploaded_by=cast.coordinator_a, data=csv_bytes(rows, "utf-8"), file_name="r.csv"
    )
    errors = {row.row: " ".join(row.errors) for row in validation.error_rows}
    assert set(errors) == {2, 3}
    assert "at least 6 years old" in errors[2]
    assert "impossible" in errors[3]
