"""Sign-up reveals nothing about registered numbers, and a new account confirms its phone or email (ADR 0021)."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import sms
from accounts.models import User
from tests.factories import TEST_PASSWORD, UserFactory
from tests.lms.api_helpers import fresh_throttles, token_client  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

OWNER_PHONE = "13800138000"
OWNER_ID = "11010519491231002X"


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def signup(username: str, **overrides):
    data = {
        "username": username,
        "real_name": "刘备",
        "phone": "13600001111",
        "email": "",
        "password1": "Serve-Others-88!",
        "password2": "Serve-Others-88!",
        **overrides,
    }
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    return browser, browser.post(reverse("accounts:signup"), data)


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def texts_to(phone: str) -> list[str]:
    return [message.message for message in sms.outbox if message.phone == phone]


def visible_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r"ZY\d{12}", "ZY…", html)  # each account's own volunteer number


def test_a_registered_phone_gets_the_same_answer_and_its_owner_a_notice():
    UserFactory(username="owner", phone=OWNER_PHONE)
    fresh_browser, fresh = signup("fresh", phone="13600002222")
    taken_browser, taken = signup("taken", phone=OWNER_PHONE)
    assert (
        (fresh.status_code, fresh["Location"]) == (taken.status_code, taken["Location"]) == (302, "/accounts/verify/")
    )
    fresh_page, taken_page = fresh_browser.get(fresh["Location"]), taken_browser.get(taken["Location"])
    assert fresh_page.status_code == taken_page.status_code == 200
    assert "136****2222" in visible_text(fresh_page) and "138****8000" in visible_text(taken_page)
    assert visible_text(fresh_page).replace("136****2222", "X") == visible_text(taken_page).replace("138****8000", "X")
    # The newcomer's number got a code; the registered one got a notice and no code.
    assert code_in(texts_to("13600002222")[0])
    [notice] = texts_to(OWNER_PHONE)
    assert "signed up with your mobile number" in notice and not re.search(r"\d{6}", notice)
    assert User.objects.get(username="owner").phone == OWNER_PHONE
    assert User.objects.get(username="taken").phone is None


def test_confirming_the_phone_code_verifies_the_account_and_the_number_logs_in():
    browser, _response = signup("newbie", phone="13600003333")
    user = User.objects.get(username="newbie")
    assert not user.identity_verified and user.phone is None
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": "13600003333", "password": "Serve-Others-88!"})
        .status_code
        == 200
    )
    code = code_in(texts_to("13600003333")[0])
    response = browser.post(reverse("accounts:verify"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.identity_verified and user.phone == "13600003333" and user.pending_phone == ""
    login = Client().post(reverse("accounts:login"), {"username": "13600003333", "password": "Serve-Others-88!"})
    assert login.status_code == 302


def test_an_account_without_a_phone_confirms_by_email():
    browser, _response = signup("mailer", phone="", email="mailer@example.cn")
    [message] = mail.outbox
    assert message.to == ["mailer@example.cn"]
    assert browser.post(reverse("accounts:verify"), {"code": code_in(message.body)}).status_code == 302
    assert User.objects.get(username="mailer").identity_verified


def test_a_registered_resident_id_is_only_refused_after_confirmation_and_its_owner_hears():
    owner = UserFactory(username="id_owner", resident_id=OWNER_ID, phone=OWNER_PHONE)
    browser, response = signup("copycat", phone="13600004444", resident_id=OWNER_ID)
    assert response.status_code == 302
    profile = browser.get(reverse("accounts:profile")).content.decode()
    assert "1101**********002X" in profile  # shown as entered, whether registered or not
    assert texts_to(OWNER_PHONE) == []
    confirmed = browser.post(reverse("accounts:verify"), {"code": code_in(texts_to("13600004444")[0])}, follow=True)
    assert "already registered" in confirmed.content.decode()
    copycat = User.objects.get(username="copycat")
    assert copycat.identity_verified and copycat.resident_id is None and copycat.pending_resident_id == ""
    owner.refresh_from_db()
    assert owner.resident_id == OWNER_ID
    assert "resident ID number" in texts_to(OWNER_PHONE)[0]


def test_a_free_resident_id_joins_the_account_on_confirmation():
    browser, _response = signup("honest", phone="13600005555", resident_id=OWNER_ID)
    browser.post(reverse("accounts:verify"), {"code": code_in(texts_to("13600005555")[0])})
    assert User.objects.get(username="honest").resident_id == OWNER_ID


def test_wrong_codes_are_limited_and_a_code_is_bound_to_its_account():
    browser, _response = signup("guesser", phone="13600006666")
    _other_browser, _other = signup("other", phone="13600007777")
    others_code = code_in(texts_to("13600007777")[0])
    own_code = code_in(texts_to("13600006666")[0])
    assert others_code != own_code
    answers = [browser.post(reverse("accounts:verify"), {"code": others_code}) for _ in range(5)]
    assert all(answer.status_code == 400 for answer in answers)
    blocked = browser.post(reverse("accounts:verify"), {"code": own_code})
    assert blocked.status_code == 400 and "Too many attempts" in blocked.content.decode()
    assert not User.objects.get(username="guesser").identity_verified


def test_a_code_expires(monkeypatch):
    browser, _response = signup("slow", phone="13600008888")
    code = code_in(texts_to("13600008888")[0])
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 21 * 60)
    assert browser.post(reverse("accounts:verify"), {"code": code}).status_code == 400
    assert not User.objects.get(username="slow").identity_verified


def test_sending_again_is_limited():
    browser, _response = signup("impatient", phone="13600009999")
    for _ in range(4):
        browser.post(reverse("accounts:verify"), {"resend": "phone"})
    assert len(texts_to("13600009999")) == 1 + 3  # the sign-up's, then three more


def test_an_unverified_profile_never_says_a_number_is_registered():
    UserFactory(username="owner", phone=OWNER_PHONE)
    browser, _response = signup("prober", phone="13600001212")
    response = browser.post(reverse("accounts:profile"), {"real_name": "刘备", "phone": OWNER_PHONE})
    assert response.status_code == 302
    prober = User.objects.get(username="prober")
    assert prober.pending_phone == OWNER_PHONE and prober.phone is None
    assert "signed up with your mobile number" in texts_to(OWNER_PHONE)[0]


def test_saving_the_profile_keeps_the_pending_phone_pending():
    browser, _response = signup("keeper", phone="13600001313")
    assert browser.post(reverse("accounts:profile"), {"real_name": "关羽", "phone": "13600001313"}).status_code == 302
    keeper = User.objects.get(username="keeper")
    assert (keeper.real_name, keeper.pending_phone, keeper.phone) == ("关羽", "13600001313", None)
    api = token_client(keeper)
    assert api.patch("/api/v1/me/", {"real_name": "张飞"}, format="json").status_code == 200
    me = api.get("/api/v1/me/").json()
    assert me["pending_phone"] == "13600001313" and me["identity_verified"] is False and me["phone"] is None


def test_a_verified_profile_may_say_registered_but_only_a_few_times(client_for):
    for n in range(6):
        UserFactory(phone=f"1370000{n:04d}")
    browser = client_for(UserFactory(real_name="甲"))
    answers = [
        browser.post(
            reverse("accounts:profile"), {"real_name": "甲", "phone": f"1370000{n:04d}"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        for n in range(6)
    ]
    assert all(answer.status_code == 400 for answer in answers)
    assert all("already registered" in answer.content.decode() for answer in answers[:5])
    assert "Too many attempts" in answers[5].content.decode()


def test_the_password_still_logs_an_unverified_account_in():
    signup("learner_first", phone="13600001414")
    response = Client().post(reverse("accounts:login"), {"username": "learner_first", "password": "Serve-Others-88!"})
    assert response.status_code == 302
    assert TEST_PASSWORD  # the factories' password is not involved
