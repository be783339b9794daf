from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, load_organizations, load_users
from assessments.demo import load as load_demo_assessments
from badges.demo import load_badges as load_demo_badges
from certificates.demo import load as load_demo_certificates
from content.demo import load as load_demo_content
from content.services import home_page_ensure
from courses.demo import load as load_demo_learning
from schools.demo import load as load_demo_schools


class Command(BaseCommand):
    help = "Load the demo organisations, users and content. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        home_page_ensure(
            title="志愿服务培训与认证平台",
            intro="学习志愿服务课程，通过考核获得学时、证书和技能徽章，加入专业志愿服务队。",
            intro_en=(
                "Take volunteer-service courses, pass assessments, earn learning hours, certificates and skill "
                "badges, and join specialised volunteer teams."
            ),
        )
        organizations = load_organizations()
        users = load_users(organizations)
        self.stdout.write(f"Demo curriculum: {load_demo_content()}")
        self.stdout.write(f"Demo question banks: {load_demo_assessments()}")
        self.stdout.write(f"Demo schools: {load_demo_schools()}")
        self.stdout.write(f"Demo certificate definitions: {load_demo_certificates()}")
        self.stdout.write(f"Demo badges and teams: {load_demo_badges()}")
        # Last: completing demo courses fires course_completed, which issues certificates from the definitions.
        self.stdout.write(f"Demo learning progress: {load_demo_learning()}")
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {len(organizations)} organisations."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.username:<13} {user.real_name}: {user.description}")
