"""Certificate definitions in the admin: issuer, course, curriculum, signatures and seal are limited to what the user
may touch. The attack: an issuer of base X defines the one active certificate of base Y's course (the unique
constraint then blocks Y's own) or prints Y's seal; each crafted POST is a form error that saves nothing."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, GroupCollectionPermission

from accounts.constants import Role
from accounts.services import membership_add
from certificates.models import CertificateDefinition, CertificateKind
from tests.content.factories import course_tree
from tests.factories import UserFactory
from tests.fk_scoping_helpers import admin_form_data, with_model_permissions

ADD = "wagtailsnippets_certificates_certificatedefinition:add"


def _uploader(user):
    """Let the user upload images (Wagtail's collection permission); their uploads are then theirs to change."""
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    group, _created = Group.objects.get_or_create(name="Image uploaders")
    permission = Permission.objects.get(content_type__app_label="wagtailimages", codename="add_image")
    GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)
    user.groups.add(group)
    return user


def _image(title, user):
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    return get_image_model().objects.create(title=title, file=get_test_image_file(), uploaded_by_user=user)


@pytest.fixture
def world(cast):
    _base, _curriculum_x, course_x, _lessons = course_tree(cast.base_x, lessons=1, earns_certificate=True)
    _base, curriculum_y, course_y, _lessons = course_tree(cast.base_y, lessons=1, earns_certificate=True)
    issuer = UserFactory(username="issuer_x")
    membership_add(user=issuer, organization=cast.base_x, role=Role.COORDINATOR)  # issue_certificates on base X
    _uploader(with_model_permissions(issuer, "certificates", "certificatedefinition"))
    issuer_y = _uploader(UserFactory(username="issuer_y"))
    membership_add(user=issuer_y, organization=cast.base_y, role=Role.COORDINATOR)
    return {
        "issuer": issuer,
        "course_x": course_x,
        "course_y": course_y,
        "curriculum_y": curriculum_y,
        "own_seal": _image("X 的公章", issuer),
        "seal_y": _image("Y 的公章", issuer_y),
    }


def _data(client, cast, world, **overrides):
    values = {
        "kind": CertificateKind.COURSE,
        "title": "培训合格证书",
        "issuer": cast.base_x.pk,
        "course": world["course_x"].pk,
        "number_prefix": "ZYPX",
    }
    return admin_form_data(client.get(reverse(ADD)), **{**values, **overrides})


@pytest.mark.parametrize(
    "field, value",
    [
        ("issuer", lambda cast, world: cast.base_y.pk),
        ("course", lambda cast, world: world["course_y"].pk),
        ("curriculum", lambda cast, world: world["curriculum_y"].pk),
        ("seal_image", lambda cast, world: world["seal_y"].pk),
        ("person_in_charge_signature", lambda cast, world: world["seal_y"].pk),
        ("handler_signature", lambda cast, world: world["seal_y"].pk),
    ],
)
def test_a_crafted_definition_naming_another_organisations_object_saves_nothing(cast, client_for, world, field, value):
    client = client_for(world["issuer"])
    response = client.post(reverse(ADD), _data(client, cast, world, **{field: value(cast, world)}))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not CertificateDefinition.objects.exists()


def test_the_issuers_own_course_and_seal_save(cast, client_for, world):
    client = client_for(world["issuer"])
    form = client.get(reverse(ADD)).context["form"]
    assert list(form.fields["issuer"].queryset) == [cast.base_x]
    assert list(form.fields["course"].queryset) == [world["course_x"]]
    assert list(form.fields["seal_image"].queryset) == [world["own_seal"]]
    response = client.post(reverse(ADD), _data(client, cast, world, seal_image=world["own_seal"].pk))
    assert response.status_code == 302
    definition = CertificateDefinition.objects.get()
    assert (definition.course, definition.seal_image) == (world["course_x"], world["own_seal"])


def test_the_outsider_with_the_model_permission_may_name_nothing(cast, client_for, world):
    client = client_for(with_model_permissions(cast.outsider, "certificates", "certificatedefinition"))
    response = client.post(reverse(ADD), _data(client, cast, world))
    errors = response.context["form"].errors
    assert response.status_code == 200 and {"issuer", "course"} <= set(errors)
    assert not CertificateDefinition.objects.exists()
