"""factory_boy factories for the lowest layer; each app's tests add theirs in tests/<app>/factories.py."""

import factory
from factory.django import DjangoModelFactory

from accounts.constants import OrganizationKind
from accounts.models import Membership, Organization, User

TEST_PASSWORD = "Correct-horse-42"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"组织{n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganizationKind.SCHOOL


class MembershipFactory(DjangoModelFactory):
    """Use accounts.services.membership_add in tests that need permissions; this skips the sync."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "learner"
