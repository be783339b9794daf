import pytest

from accounts.demo import load_organizations, load_users
from accounts.models import Organization, User
from assessments.demo import load as load_assessments
from badges import demo
from badges.models import BadgeAward, BadgeClass, TeamRequiredBadge
from badges.selectors import team_eligibility
from content.demo import load as load_content

pytestmark = pytest.mark.django_db


def test_demo_badges_and_team_requirements_load_twice_without_duplicates():
    from content.services import home_page_ensure

    home_page_ensure(title="首页")
    organizations = load_organizations()
    load_users(organizations)
    load_content()
    load_assessments()
    first = demo.load_badges()
    second = demo.load_badges()
    assert first["created"] == 7 and second["created"] == 0
    assert BadgeClass.objects.count() == 7 and TeamRequiredBadge.objects.count() == 7
    first_aid = BadgeClass.objects.get(skill_area="first_aid")
    assert first_aid.validity_months == 24
    assert first_aid.rubrics.get().items.filter(key="compressions").exists()
    assert {badge.validity_months for badge in BadgeClass.objects.all()} <= {24, 36}
    volunteer = User.objects.get(username="volunteer")
    assert BadgeAward.objects.filter(learner=volunteer).count() == 1
    assert team_eligibility(team=Organization.objects.get(slug="team-medical"), learner=volunteer).eligible
