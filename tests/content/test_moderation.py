"""An editor submits for moderation; a city-office administrator (Moderators group) approves; revisions are kept."""

import pytest
from wagtail.models import WorkflowState

from accounts.constants import Role
from accounts.services import membership_add
from content.models import LessonPage
from tests.content.factories import course_tree
from tests.factories import UserFactory


@pytest.mark.django_db
def test_editor_submits_and_city_moderator_approves_keeping_revisions(cast, client_for):
    base, _curriculum, course, _lessons = course_tree(cast.base_x, lessons=0)
    moderator = UserFactory(username="moderator")
    membership_add(user=moderator, organization=cast.city, role=Role.ADMIN)
    assert moderator.groups.filter(name="Moderators").exists()
    assert base.get_workflow().name == "Moderators approval"

    client = client_for(cast.editor_x)
    response = client.post(
        f"/cms/pages/add/content/lessonpage/{course.pk}/",
        {
            "title": "新课",
            "slug": "new-lesson",
            "key": "new-lesson",
            "estimated_minutes": "10",
            "body-count": "0",
            "action-submit": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(key="new-lesson")
    assert not lesson.live
    state = lesson.current_workflow_state
    task_state = state.current_task_state

    client = client_for(moderator)
    response = client.post(
        f"/cms/pages/{lesson.pk}/edit/",
        {
            "title": "新课",
            "slug": "new-lesson",
            "key": "new-lesson",
            "estimated_minutes": "10",
            "body-count": "0",
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson.refresh_from_db()
    state.refresh_from_db()
    task_state.refresh_from_db()
    assert lesson.live
    assert state.status == WorkflowState.STATUS_APPROVED
    assert task_state.finished_by == moderator
    assert lesson.live_revision_id == lesson.latest_revision_id

    # A second round: the change is a new revision; the first one stays in the history.
    data = {
        "title": "新课（修订）",
        "slug": "new-lesson",
        "key": "new-lesson",
        "estimated_minutes": "10",
        "body-count": "0",
    }
    assert (
        client_for(cast.editor_x).post(f"/cms/pages/{lesson.pk}/edit/", {**data, "action-submit": "1"}).status_code
        == 302
    )
    approve = {**data, "action-workflow-action": "true", "workflow-action-name": "approve"}
    assert client_for(moderator).post(f"/cms/pages/{lesson.pk}/edit/", approve).status_code == 302
    lesson.refresh_from_db()
    assert lesson.title == "新课（修订）"
    assert sorted(revision.content["title"] for revision in lesson.revisions.all()) == ["新课", "新课（修订）"]


@pytest.mark.django_db
def test_an_editor_cannot_approve_their_own_submission(cast, client_for):
    _base, _curriculum, _course, lessons = course_tree(cast.base_x, lessons=1)
    lesson = lessons[0]
    client = client_for(cast.editor_x)
    data = {"title": "改", "slug": lesson.slug, "key": lesson.key, "estimated_minutes": "10", "body-count": "0"}
    assert client.post(f"/cms/pages/{lesson.pk}/edit/", {**data, "action-submit": "1"}).status_code == 302
    client.post(
        f"/cms/pages/{lesson.pk}/edit/", {**data, "action-workflow-action": "true", "workflow-action-name": "approve"}
    )
    lesson.refresh_from_db()
    assert lesson.title != "改"
    assert lesson.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
