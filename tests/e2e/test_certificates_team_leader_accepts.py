"""In a real browser: a volunteer earns the first-aid badge (course + CPR practical), the medical team's leader
finds them among eligible volunteers, the volunteer applies, the leader accepts and sees them on the roster."""

import pytest
from playwright.sync_api import expect

from badges.models import BadgeAward
from tests.badges.factories import first_aid_setup, record_practical
from tests.certificates.factories import complete
from tests.e2e.conftest import login_through_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_leader_finds_an_eligible_volunteer_who_applies_and_is_accepted(page, desktop_page, cast):
    setup = first_aid_setup(cast)
    complete(cast.learner, setup.course)
    record_practical(setup, cast.learner)
    assert BadgeAward.objects.filter(learner=cast.learner, badge_class=setup.badge).count() == 1

    leader = desktop_page
    login_through_page(leader, setup.leader.username, cast.password)
    leader.goto("/teams/")
    leader.get_by_test_id("led-team").click()
    leader.get_by_test_id("search-volunteers").click()
    eligible = leader.get_by_test_id("eligible-volunteers")
    expect(eligible).to_contain_text(cast.learner.real_name)
    expect(eligible).to_contain_text(setup.badge.name)
    expect(eligible).not_to_contain_text(cast.outsider.real_name)

    login_through_page(page, cast.learner.username, cast.password)
    page.goto(f"/teams/{setup.team.slug}/")
    page.locator("textarea[name=message]").fill("我持有急救徽章，愿意参加赛会医疗保障。")
    page.get_by_test_id("apply").click()
    expect(page.get_by_test_id("team-application-pending")).to_be_visible()

    leader.goto(f"/teams/{setup.team.slug}/manage/")
    applications = leader.get_by_test_id("applications")
    expect(applications).to_contain_text(cast.learner.real_name)
    applications.get_by_test_id("accept-application").click()
    expect(leader.get_by_test_id("roster")).to_contain_text(cast.learner.real_name)
    expect(leader.get_by_test_id("applications")).not_to_contain_text(cast.learner.real_name)

    page.reload()
    expect(page.get_by_test_id("team-membership")).to_be_visible()
