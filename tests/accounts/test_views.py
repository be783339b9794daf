import datetime

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    data = {
        "username": "volunteer1",
        "real_name": "刘备",
        "phone": "13600001111",
        "email": "v1@example.cn",
        "password1": "Serve-Others-88!",
        "password2": "Serve-Others-88!",
    }
    data.update(overrides)
    return data


def test_signup_creates_account_and_logs_in(client):
    response = client.post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 302 and response["Location"] == reverse("accounts:verify")
    user = User.objects.get(username="volunteer1")
    profile = client.get(reverse("accounts:profile"))
    assert user.volunteer_number in profile.content.decode()


@pytest.mark.parametrize(
    ("overrides", "zh_message", "en_message"),
    [
        ({"resident_id": "110105194912310021"}, "校验码", "check digit"),
        (
            {"date_of_birth": (datetime.date.today() - datetime.timedelta(days=365 * 4)).isoformat()},
            "至少年满 6 周岁",
            "at least 6 years old",
        ),
        ({"real_name": ""}, "请填写真实姓名", "real name"),
    ],
)
def test_bad_signup_gets_a_clear_message_in_both_languages_and_creates_nothing(
    client, overrides, zh_message, en_message
):
    UserFactory(username="existing", phone="13800138000")
    for language, expected in (("zh-hans", zh_message), ("en", en_message)):
        response = client.post(reverse("accounts:signup"), signup_data(**overrides), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400
        assert expected in response.content.decode(), language
    assert User.objects.count() == 1


def test_login_with_phone_number(client):
    UserFactory(username="phoneuser", phone="13511112222")
    response = client.post(reverse("accounts:login"), {"username": "13511112222", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user.username == "phoneuser"


def test_profile_requires_login_and_masks_the_id(client, client_for):
    assert client.get(reverse("accounts:profile")).status_code == 302
    user = UserFactory(resident_id="11010519491231002X")
    html = client_for(user).get(reverse("accounts:profile")).content.decode()
    assert "1101**********002X" in html
    assert "11010519491231002X" not in html


def test_profile_update_rejects_a_taken_phone(client_for):
    UserFactory(phone="13600002222")
    user = UserFactory(real_name="甲")
    response = client_for(user).post(
        reverse("accounts:profile"), {"real_name": "乙", "phone": "13600002222"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.real_name == "甲"


def test_password_reset_sends_an_email(client):
    UserFactory(email="reset@example.cn")
    response = client.post(reverse("accounts:password_reset"), {"email": "reset@example.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_password_change_page_needs_login(client, client_for):
    assert client.get(reverse("accounts:password_change")).status_code == 302
    assert client_for(UserFactory()).get(reverse("accounts:password_change")).status_code == 200


def test_logout_is_post_only(client_for):
    client = client_for(UserFactory())
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302
