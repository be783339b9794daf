from urllib.parse import urlencode

import pytest
from django.urls import reverse

from accounts.constants import Role
from accounts.services import membership_add
from assessments.models import Attempt
from assessments.services import attempt_start
from core.pdf import ASSET_ORIGIN, FetchRefused, RestrictedURLFetcher
from courses.models import CourseCompletion, Enrollment, EnrollmentStatus, LessonProgress
from hours.models import HoursEntry
from tests.courses.factories import (
    correct_answers,
    enrol,
    learning_course,
    pass_quiz,
    read_all_lessons,
    sibling_course,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(cast):
    return learning_course(cast.base_x, lessons=2)


@pytest.fixture
def no_minimum(settings):
    settings.LESSON_MIN_READING_FRACTION = 0


def test_the_whole_flow_through_the_pages(cast, built, client_for, no_minimum, django_capture_on_commit_callbacks):
    client = client_for(cast.learner)
    page = client.get(built.course.url)
    assert b'data-testid="enrol"' in page.content
    response = client.post(reverse("courses:course_enrol", args=[built.course.pk]))
    enrollment = Enrollment.objects.get(user=cast.learner)
    assert response.url == reverse("courses:player_resume", args=[enrollment.pk])
    for lesson in built.lessons:
        resumed = client.get(reverse("courses:player_resume", args=[enrollment.pk]))
        assert resumed.url == reverse("courses:player_lesson", args=[enrollment.pk, lesson.pk])
        assert client.get(resumed.url).status_code == 200
        client.post(reverse("courses:player_lesson_done", args=[enrollment.pk, lesson.pk]))
    assert LessonProgress.objects.filter(user=cast.learner, completed_at__isnull=False).count() == 2
    resumed = client.get(reverse("courses:player_resume", args=[enrollment.pk]))
    assert resumed.url == reverse("courses:player_quiz", args=[enrollment.pk, built.quiz.pk])
    started = client.post(resumed.url)
    attempt = Attempt.objects.get(user=cast.learner)
    assert started.url == reverse("courses:player_attempt", args=[enrollment.pk, attempt.pk])
    take = client.get(started.url)
    assert reverse("courses:player_attempt_submit", args=[enrollment.pk, attempt.pk]).encode() in take.content
    data = []
    for position, indexes in correct_answers(attempt).items():
        data.append(("positions", str(position)))
        data.extend((f"choice-{position}", str(index)) for index in indexes)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("courses:player_attempt_submit", args=[enrollment.pk, attempt.pk]),
            urlencode(data),
            content_type="application/x-www-form-urlencoded",
        )
    result = client.get(started.url)
    assert b'data-testid="course-completed"' in result.content
    completion = CourseCompletion.objects.get(user=cast.learner)
    dashboard = client.get(reverse("courses:dashboard")).content.decode()
    assert 'data-testid="completed-course"' in dashboard
    assert f"{completion.hours_entry.minutes}" in dashboard


def test_lesson_done_too_soon_shows_why_and_changes_nothing(settings, cast, built, client_for):
    settings.LESSON_MIN_READING_FRACTION = 0.5
    client = client_for(cast.learner)
    enrollment = enrol(cast.learner, built.course)
    lesson = built.lessons[0]
    page = client.get(reverse("courses:player_lesson", args=[enrollment.pk, lesson.pk]))
    assert b"disabled" in page.content
    response = client.post(reverse("courses:player_lesson_done", args=[enrollment.pk, lesson.pk]), follow=True)
    assert "keep reading" in response.content.decode() or "继续阅读" in response.content.decode()
    assert LessonProgress.objects.get(lesson=lesson).completed_at is None


def test_a_missing_prerequisite_is_shown_on_the_course_page_and_refused(cast, client_for):
    first = learning_course(cast.base_x, title="志愿服务概论")
    second = sibling_course(first.curriculum, title="应急救护")
    second.prerequisites.add(first.course)
    second.save_revision().publish()
    client = client_for(cast.learner)
    assert "《志愿服务概论》" in client.get(second.url).content.decode()
    response = client.post(reverse("courses:course_enrol", args=[second.pk]), follow=True)
    assert "《志愿服务概论》" in response.content.decode()
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "coordinator_b", "editor_x"])
def test_another_person_gets_404_for_a_learners_progress(cast, built, client_for, who):
    enrollment = enrol(cast.learner, built.course)
    read_all_lessons(enrollment, built.lessons[:1])
    attempt = attempt_start(quiz=built.quiz, user=cast.learner)
    client = client_for(getattr(cast, who))
    urls = [
        reverse("courses:player", args=[enrollment.pk]),
        reverse("courses:player_resume", args=[enrollment.pk]),
        reverse("courses:player_lesson", args=[enrollment.pk, built.lessons[0].pk]),
        reverse("courses:player_quiz", args=[enrollment.pk, built.quiz.pk]),
        reverse("courses:player_attempt", args=[enrollment.pk, attempt.pk]),
        reverse("courses:learner_transcript", args=[cast.learner.pk]),
        reverse("courses:learner_transcript_pdf", args=[cast.learner.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("courses:player_lesson_done", args=[enrollment.pk, built.lessons[1].pk]),
        reverse("courses:enrollment_withdraw", args=[enrollment.pk]),
        reverse("courses:player_attempt_submit", args=[enrollment.pk, attempt.pk]),
    ]
    for url in posts:
        assert client.post(url).status_code == 404, url
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_an_attempt_of_another_course_is_not_reachable_through_an_enrolment(cast, built, client_for):
    other = learning_course(cast.base_x, lessons=1)
    enrollment = enrol(cast.learner, built.course)
    attempt = attempt_start(quiz=other.quiz, user=cast.learner)
    client = client_for(cast.learner)
    assert client.get(reverse("courses:player_attempt", args=[enrollment.pk, attempt.pk])).status_code == 404
    assert client.get(reverse("courses:player_quiz", args=[enrollment.pk, other.quiz.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(built, client):
    response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_school_coordinator_sees_the_transcript_and_another_school_does_not(cast, client_for):
    url = reverse("courses:learner_transcript", args=[cast.learner.pk])
    assert client_for(cast.coordinator_a).get(url).status_code == 200
    assert client_for(cast.coordinator_b).get(url).status_code == 404


def test_the_transcript_lists_completions_and_hours(cast, built, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrol(cast.learner, built.course)
        read_all_lessons(enrollment, built.lessons)
        pass_quiz(built.quiz, cast.learner)
    html = client_for(cast.learner).get(reverse("courses:transcript")).content.decode()
    assert built.course.title in html and cast.base_x.name in html
    assert str(HoursEntry.objects.get().minutes) in html


def test_the_transcript_pdf_is_a_pdf_with_the_learners_record(cast, built, client_for):
    enrol(cast.learner, built.course)
    response = client_for(cast.learner).get(reverse("courses:transcript_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_pdf_fetcher_serves_only_static_files_and_data_uris():
    fetcher = RestrictedURLFetcher()  # the transcript's: no uploaded files
    assert b"color" in fetcher.fetch(f"{ASSET_ORIGIN}/static/css/site.css").read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:8000/",
        f"{ASSET_ORIGIN}/static/../../settings.py",
        f"{ASSET_ORIGIN}/media/x.png",
        "https://example.com/static/css/site.css",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


def test_a_coordinator_enrols_students_through_the_form(cast, built, client_for):
    classmate = UserFactory(real_name="王同学")
    membership_add(user=classmate, organization=cast.school_a, role=Role.LEARNER)
    url = reverse("courses:group_enrol", args=[cast.school_a.pk])
    client = client_for(cast.coordinator_a)
    assert "王同学" in client.get(url).content.decode()
    response = client.post(url, {"course": built.course.pk, "students": [classmate.pk, cast.learner.pk]})
    assert response.status_code == 302
    assert set(Enrollment.objects.values_list("user_id", flat=True)) == {classmate.pk, cast.learner.pk}


@pytest.mark.parametrize("who", ["coordinator_b", "outsider", "learner"])
def test_group_enrolment_page_is_404_without_manage_students(cast, built, client_for, who):
    url = reverse("courses:group_enrol", args=[cast.school_a.pk])
    client = client_for(getattr(cast, who))
    assert client.get(url).status_code == 404
    assert client.post(url, {"course": built.course.pk, "students": [cast.learner.pk]}).status_code == 404
    assert not Enrollment.objects.exists()
