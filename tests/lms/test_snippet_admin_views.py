"""Every snippet's admin views answer without a server error, for a superuser and for a scoped editor: the list, the
add form, an instance's edit form, its usage and its history. New snippet models join the test by themselves; each
needs a builder here (the test says so)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.snippets.models import get_snippet_models

from accounts.constants import OrganizationKind
from accounts.models import Membership
from badges.models import TeamRequiredBadge
from tests.assessments.factories import QuestionBankFactory, QuestionFactory, RubricFactory, quiz_with_questions
from tests.badges.factories import BadgeClassFactory
from tests.certificates.factories import course_with_definition
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

# One instance of each snippet model, owned by the cast's training base X where the model has an owner.
BUILDERS = {
    "accounts.organization": lambda cast: cast.base_x,
    "accounts.membership": lambda cast: Membership.objects.get(user=cast.editor_x, organization=cast.base_x),
    "assessments.questionbank": lambda cast: QuestionBankFactory(organization=cast.base_x),
    "assessments.question": lambda cast: QuestionFactory(bank__organization=cast.base_x),
    "assessments.quiz": lambda cast: quiz_with_questions(organization=cast.base_x, count=2),
    "assessments.rubric": lambda cast: RubricFactory(organization=cast.base_x),
    "certificates.certificatedefinition": lambda cast: course_with_definition(cast.base_x)[2],
    "badges.badgeclass": lambda cast: BadgeClassFactory(issuer=cast.base_x),
    "badges.teamrequiredbadge": lambda cast: TeamRequiredBadge.objects.create(
        team=OrganizationFactory(slug="team-rescue", kind=OrganizationKind.TEAM, parent=cast.city),
        badge_class=BadgeClassFactory(issuer=cast.base_x),
    ),
}
VIEWS = ["list", "add", "edit", "usage", "history"]


def _label(model) -> str:
    return model._meta.label_lower


def _superuser():
    return UserFactory(username="snippet_admin", is_superuser=True, is_staff=True)


def _scoped_editor(cast):
    cast.editor_x.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return cast.editor_x


def test_every_snippet_model_has_a_builder():
    assert sorted(_label(model) for model in get_snippet_models()) == sorted(BUILDERS)


@pytest.mark.parametrize("who", ["superuser", "scoped editor"])
@pytest.mark.parametrize("model", get_snippet_models(), ids=_label)
def test_snippet_admin_views_answer_without_a_server_error(cast, client, model, who):
    instance = BUILDERS[_label(model)](cast)
    user = _superuser() if who == "superuser" else _scoped_editor(cast)
    client.force_login(user, backend="accounts.backends.UsernameOrPhoneBackend")
    viewset = model.snippet_viewset
    answers = {}
    for view in VIEWS:
        args = [] if view in ("list", "add") else [instance.pk]
        response = client.get(reverse(viewset.get_url_name(view), args=args))
        answers[view] = response.status_code
    assert all(status < 500 for status in answers.values()), answers
    if who == "superuser":
        assert answers == dict.fromkeys(VIEWS, 200), answers
