"""Shared fixtures: the fixed cast of docs/style.md point 9 and helpers every app's tests use."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest
from django.conf import settings

from accounts.constants import OrganizationKind, Role
from accounts.models import Organization, User
from accounts.services import membership_add
from tests.factories import TEST_PASSWORD, OrganizationFactory, UserFactory


@dataclass
class Cast:
    """A learner, the coordinators of school A and school B, an editor of base X, an outsider (and their orgs)."""

    city: Organization
    school_a: Organization
    school_b: Organization
    base_x: Organization
    base_y: Organization
    learner: User
    coordinator_a: User
    coordinator_b: User
    editor_x: User
    outsider: User
    password: str = TEST_PASSWORD


@pytest.fixture
def cast(db) -> Cast:
    city = OrganizationFactory(slug="city", name="市志愿服务工作办公室", kind=OrganizationKind.CITY_OFFICE)
    school_a = OrganizationFactory(slug="school-a", name="A 学院", kind=OrganizationKind.COLLEGE, parent=city)
    school_b = OrganizationFactory(slug="school-b", name="B 中学", kind=OrganizationKind.SCHOOL, parent=city)
    base_x = OrganizationFactory(slug="base-x", name="X 培训基地", kind=OrganizationKind.TRAINING_BASE, parent=city)
    base_y = OrganizationFactory(slug="base-y", name="Y 培训基地", kind=OrganizationKind.TRAINING_BASE, parent=city)
    learner = UserFactory(username="learner", real_name="张学员")
    coordinator_a = UserFactory(username="coordinator_a", real_name="A 老师")
    coordinator_b = UserFactory(username="coordinator_b", real_name="B 老师")
    editor_x = UserFactory(username="editor_x", real_name="X 编辑")
    outsider = UserFactory(username="outsider", real_name="路人甲")
    membership_add(user=learner, organization=school_a, role=Role.LEARNER)
    membership_add(user=coordinator_a, organization=school_a, role=Role.COORDINATOR)
    membership_add(user=coordinator_b, organization=school_b, role=Role.COORDINATOR)
    membership_add(user=editor_x, organization=base_x, role=Role.EDITOR)
    return Cast(city, school_a, school_b, base_x, base_y, learner, coordinator_a, coordinator_b, editor_x, outsider)


@pytest.fixture(autouse=True)
def _test_media_root(settings, tmp_path_factory):
    """Each test session writes uploaded and generated files under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture
def client_for(client):
    """client_for(user) logs the Django test client in as user and returns it."""

    def login(user: User):
        client.force_login(user, backend="accounts.backends.UsernameOrPhoneBackend")
        return client

    return login


def postgres_only() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not settings.USING_POSTGRESQL, reason="needs PostgreSQL: set DATABASE_URL (as .ci/run does)"
    )


def has_program(name: str) -> bool:
    return shutil.which(name) is not None
