"""The site and the Wagtail admin work under the enforced Content-Security-Policy: every page sends the header, and
the browser reports no violation (securitypolicyviolation events and console errors) while a learner reads a lesson
and answers a quiz (autosave included) and a superuser uses the dashboard, a page editor with its preview, a snippet
editor with an inline panel, and the API docs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessments.models import Question
from assessments.services import attempt_start
from tests.courses.factories import enrol, learning_course
from tests.e2e.conftest import login_through_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # learning_course() recreates the page-tree root a flush removes

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation({
    page: document.location.pathname,
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile + ":" + event.lineNumber,
    sample: event.sample,
  });
});
"""


class PolicyWatch:
    """A browser context whose pages report every CSP violation and every CSP console error into `problems`."""

    def __init__(self, browser, base_url: str):
        self.problems: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url, locale="zh-CN")
        self.context.set_default_timeout(20000)
        self.context.expose_function("reportCspViolation", lambda violation: self.problems.append(str(violation)))
        self.context.add_init_script(REPORT_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.problems.append(f"console {message.type}: {message.text}")

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        assert "default-src 'self'" in (response.headers.get("content-security-policy") or ""), path
        self.page.wait_for_load_state("networkidle")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watch(browser, live_server):
    watch = PolicyWatch(browser, live_server.url)
    yield watch
    watch.close()


@pytest.fixture
def course(cast, settings):
    settings.LESSON_MIN_READING_FRACTION = 0
    return learning_course(cast.base_x, lessons=2, credit_hours=2, title="应急救护基础")


def test_learner_pages_work_under_the_policy(watch, cast, course):
    enrollment = enrol(cast.learner, course.course)
    attempt = attempt_start(quiz=course.quiz, user=cast.learner)
    login_through_page(watch.page, "learner", cast.password)
    watch.visit("/")
    watch.visit(course.course.get_url())
    watch.visit(f"/learn/enrolments/{enrollment.pk}/lessons/{course.lessons[0].pk}/")
    watch.page.get_by_test_id("lesson-done").click()
    watch.page.wait_for_load_state("networkidle")
    watch.visit(f"/learn/enrolments/{enrollment.pk}/attempts/{attempt.pk}/")
    with watch.page.expect_response(lambda response: "/answers/" in response.url) as saved:
        watch.page.check("input[name=choice-1][value='0']")
    assert saved.value.status == 200  # the autosave's fetch is allowed (connect-src)
    watch.visit("/catalogue/")
    assert watch.problems == [], "\n".join(watch.problems)


def test_wagtail_admin_works_under_the_policy(watch, cast, course):
    UserFactory(username="csp_admin", is_superuser=True, is_staff=True)
    login_through_page(watch.page, "csp_admin", cast.password)
    watch.visit("/cms/")
    expect(watch.page.locator("main")).to_be_visible()
    watch.visit(f"/cms/pages/{course.lessons[0].pk}/edit/")
    expect(watch.page.locator("#id_title")).to_be_visible()
    watch.page.locator("[data-side-panel-toggle='preview']").click()  # the preview panel frames the page
    expect(watch.page.locator("#w-preview-iframe")).to_be_visible()
    watch.page.wait_for_load_state("networkidle")
    watch.visit(f"/cms/pages/{course.course.pk}/edit/")
    question = Question.objects.filter(bank=course.quiz.bank).first()
    watch.visit(f"/cms/snippets/assessments/question/edit/{question.pk}/")
    watch.page.locator("#id_options-ADD").click()  # Wagtail's InlinePanel, started by an inline script
    expect(watch.page.locator("#id_options-TOTAL_FORMS")).to_have_value(str(question.options.count() + 1))
    watch.visit("/api/docs/")
    expect(watch.page.locator(".swagger-ui")).to_be_visible()
    assert watch.problems == [], "\n".join(watch.problems)
