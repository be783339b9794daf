import re

import pytest
from playwright.sync_api import expect

from accounts import sms
from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def confirm_with_the_texted_code(page, phone: str) -> None:
    """Sign-up leads to the confirmation page; the code comes by SMS (the test settings keep it in sms.outbox)."""
    expect(page).to_have_url(re.compile(r"/accounts/verify/$"))
    code = re.search(r"\d{6}", [text.message for text in sms.outbox if text.phone == phone][-1]).group(0)
    page.fill("input[name=code]", code)
    page.get_by_test_id("confirm-code").click()


def test_sign_up_log_out_and_log_in_through_the_real_pages(page):
    page.goto("/accounts/signup/")
    page.fill("input[name=username]", "e2e_volunteer")
    page.fill("input[name=real_name]", "李四")
    page.fill("input[name=phone]", "13712345678")
    page.fill("input[name=password1]", "Serve-Others-88!")
    page.fill("input[name=password2]", "Serve-Others-88!")
    page.click("main button[type=submit]")
    confirm_with_the_texted_code(page, "13712345678")
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    number = User.objects.get(username="e2e_volunteer").volunteer_number
    expect(page.get_by_test_id("volunteer-number")).to_have_text(number)

    # The phone layout hides the menu behind the toggle.
    page.click("[data-nav-toggle]")
    page.click("#site-nav button[type=submit]")
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "13712345678")
    page.fill("input[name=password]", "Serve-Others-88!")
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))


def test_bad_sign_up_shows_the_error_and_creates_nothing(page):
    page.goto("/accounts/signup/")
    page.fill("input[name=username]", "kid")
    page.fill("input[name=real_name]", "小朋友")
    page.fill("input[name=date_of_birth]", "2024-01-01")
    page.fill("input[name=password1]", "Serve-Others-88!")
    page.fill("input[name=password2]", "Serve-Others-88!")
    page.click("main button[type=submit]")
    expect(page.locator(".field-error .error").first).to_contain_text("6")
    assert not User.objects.filter(username="kid").exists()
