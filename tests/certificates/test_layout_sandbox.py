"""Custom layouts see a fixed set of plain fields, rendered in a sandbox; the CMS refuses anything else on save.

Attacks: a layout stored with template code that walks from the certificate to the holder's password hash, full
resident ID and phone (or to other holders through a queryset), loads tag libraries, includes files, or walks
Python attributes. Stored directly (as if saved before the check existed), none of it prints anything sensitive;
submitted in the CMS, each is refused with an error naming what is not allowed.
"""

import subprocess

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from certificates.models import CertificateKind
from certificates.rendering import certificate_html
from certificates.services import certificate_issue_for_completion, certificate_render_pdf
from tests.certificates.factories import CertificateDefinitionFactory, complete, course_with_definition
from tests.conftest import has_program
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FULL_ID = "11010519491231002X"
PHONE = "13912345678"

ATTACKS = {
    "password through the certificate": "<p>{{ certificate.learner.password }}</p>",
    "resident id through the certificate": "<p>{{ certificate.learner.resident_id }}</p>",
    "phone through the certificate": "<p>{{ certificate.learner.phone }}</p>",
    "a learner variable": "<p>{{ learner.resident_id }} {{ learner.password }} {{ user.phone }}</p>",
    "a holder inside the fields": "<p>{{ c.holder.phone }} {{ c.learner.resident_id }}</p>",
    "an alias": "{% with holder=certificate.learner %}{{ holder.password }} {{ holder.resident_id }}{% endwith %}",
    "a queryset walk to other holders": (
        "{% for other in certificate.definition.certificates.all %}"
        "{{ other.learner.password }} {{ other.learner.phone }}{% endfor %}"
    ),
    "a loaded tag library": "{% load wagtailcore_tags static %}{% wagtail_site as s %}{{ s.root_page.owner.password }}",
    "the debug tag": "{% debug %}",
    "an include of a settings file": '{% include "../lms/settings/base.py" %}{% include "lms/settings/base.py" %}',
    "an extends": '{% extends "certificates/pdf/document.html" %}',
    "a python attribute walk": "{{ c.__class__ }}{{ certificate.__class__.objects.all }}",
    "a method walk": "{{ c.holder_name.__class__.__mro__ }}{{ c.items }}{{ c.clear }}{{ c.courses.pop }}",
    "autoescape off": "{% autoescape off %}{{ certificate.learner.password }}{% endautoescape %}",
    "a safe filter": "{{ certificate.learner.resident_id|safe }}{{ c.holder_name|safe }}",
}


@pytest.fixture
def holder(cast):
    learner = cast.learner
    learner.resident_id = FULL_ID
    learner.phone = PHONE
    learner.save(update_fields=["resident_id", "phone"])
    return learner


def _issue(cast, holder, layout_html=""):
    _curriculum, course, _definition = course_with_definition(cast.base_x, layout_html=layout_html)
    return certificate_issue_for_completion(completion=complete(holder, course))[0]


def _secrets(holder) -> list[str]:
    return [holder.password, holder.password.split("$")[-1], FULL_ID, FULL_ID[4:14], PHONE, settings.SECRET_KEY]


@pytest.mark.parametrize("layout", ATTACKS.values(), ids=ATTACKS.keys())
def test_a_stored_layout_prints_nothing_sensitive(cast, holder, layout):
    certificate = _issue(cast, holder, layout_html=layout)
    html = certificate_html(certificate=certificate)
    for secret in _secrets(holder):
        assert secret not in html
    assert "<Certificate" not in html and "<User" not in html and "sys.modules" not in html


@pytest.mark.skipif(not has_program("pdftotext"), reason="needs poppler-utils (make test installs it)")
def test_the_pdf_of_an_attacking_layout_holds_no_secret(cast, holder, tmp_path):
    layout = "<h1>{{ c.title }}</h1>" + "".join(
        ATTACKS[name] for name in ("password through the certificate", "a holder inside the fields", "an alias")
    )
    certificate = certificate_render_pdf(certificate=_issue(cast, holder, layout_html=layout))
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate.pdf.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert certificate.context["title"] in text
    for secret in _secrets(holder):
        assert secret not in text


def test_a_layout_sees_plain_values_only(cast, holder):
    from certificates.layouts import LAYOUT_FIELDS
    from certificates.rendering import layout_fields

    certificate = _issue(cast, holder)
    context = certificate.context | {"sneaky": "x", "resident_id": FULL_ID, "id_number_masked": FULL_ID}
    certificate.context = context
    fields = layout_fields(certificate=certificate)

    def plain(value) -> bool:
        if isinstance(value, str | int | float | bool) or value is None:
            return True
        if isinstance(value, tuple):
            return all(plain(item) for item in value)
        if hasattr(value, "keys") and not hasattr(value, "_meta"):
            return all(isinstance(key, str) and plain(value[key]) for key in value)
        return False

    assert all(plain(value) for value in fields.values())
    assert set(fields["c"].keys()) <= set(LAYOUT_FIELDS)
    assert "sneaky" not in fields["c"] and "resident_id" not in fields["c"]
    assert fields["c"]["id_number_masked"] == "1101**********002X"  # masked again, whatever was stored
    assert fields["c"]["number"] == certificate.number
    assert fields["verify_url"].endswith(f"/verify/{certificate.verification_code}/")
    assert fields["qr_data_uri"].startswith("data:image/svg+xml")


def test_a_custom_layout_in_django_syntax_prints_the_fields(cast, holder):
    layout = (
        '<h1>{{ c.title|default:"证书" }}</h1><p>{{ c.holder_name }} {{ c.id_number_masked }} {{ c.number }}</p>'
        "{% if c.certified %}<p>{{ c.certified|upper }}</p>{% endif %}"
        "{% for course in c.courses %}{{ forloop.counter }}{{ course.title }}{% empty %}<i>none</i>{% endfor %}"
        '<img src="{{ qr_data_uri }}"><a href="{{ verify_url }}">{{ verify_url }}</a>'
    )
    certificate = _issue(cast, holder, layout_html=layout)
    html = certificate_html(certificate=certificate)
    assert f"<p>{holder.display_name} 1101**********002X {certificate.number}</p>" in html
    assert "<i>none</i>" in html
    assert certificate.verification_code in html


def test_fields_are_escaped(cast, holder):
    holder.real_name = '<img src="x" onerror="alert(1)">'
    holder.save(update_fields=["real_name"])
    certificate = _issue(cast, holder, layout_html="<p>{{ c.holder_name }}</p>")
    html = certificate_html(certificate=certificate)
    assert '<img src="x"' not in html
    assert "&lt;img" in html


def test_a_stored_layout_that_does_not_compile_in_the_sandbox_falls_back_to_the_standard_layout(cast, holder):
    certificate = _issue(cast, holder, layout_html="{% load static %}<p>custom</p>")
    html = certificate_html(certificate=certificate)
    assert "<p>custom</p>" not in html
    assert certificate.context["certified"] in html  # the standard course layout


@pytest.mark.parametrize("kind", CertificateKind.values)
def test_the_standard_layouts_pass_the_check(kind):
    from certificates.layouts import layout_html_errors, standard_layout

    assert layout_html_errors(standard_layout(kind)) == []


# The CMS


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def _form_data(definition, **changes) -> dict:
    data = {
        "kind": definition.kind,
        "title": definition.title,
        "title_en": definition.title_en,
        "issuer": definition.issuer_id,
        "course": definition.course_id or "",
        "curriculum": "",
        "person_in_charge": definition.person_in_charge,
        "handler_name": definition.handler_name,
        "handler_contact": definition.handler_contact,
        "number_prefix": definition.number_prefix,
        "validity_months": "",
        "is_active": "on",
        "layout_html": "",
        "layout_css": "",
    }
    return data | changes


REFUSALS = {
    "{{ certificate.learner.password }}": ["certificate.learner.password"],
    "{{ learner.resident_id }}": ["learner.resident_id"],
    "{{ c.holder.phone }}": ["c.holder.phone"],
    "{% load static %}{% static 'x' %}": ["load", "static"],
    '{% include "lms/settings/base.py" %}': ["include"],
    "{{ x.__class__ }}": ["x.__class__"],
    "{{ c.title.__class__ }}": ["c.title.__class__"],
    "{% for u in certificate.definition.certificates.all %}{{ u.learner.phone }}{% endfor %}": [
        "certificate.definition.certificates.all"
    ],
    "{{ c.holder_name|safe }}{{ c.title|center:'99999999' }}": ["safe", "center"],
    "{% debug %}{% autoescape off %}{% endautoescape %}": ["debug", "autoescape"],
    "{% for line in c.service_lines %}{{ line.learner }}{% endfor %}": ["line.learner"],
    "{% if c.title %}": ["if"],  # not closed
    "{% for a in c.courses %}{% for b in c.courses %}{% for d in c.courses %}{% endfor %}{% endfor %}{% endfor %}": [
        "嵌套 2 层"  # the superuser reads the CMS in Chinese
    ],
}


@pytest.mark.parametrize("layout", REFUSALS.keys())
def test_the_cms_refuses_a_layout_and_names_what_is_not_allowed(cast, client_for, superuser, layout):
    _curriculum, _course, definition = course_with_definition(cast.base_x)
    url = reverse("wagtailsnippets_certificates_certificatedefinition:edit", args=[definition.pk])
    response = client_for(superuser).post(url, _form_data(definition, layout_html=layout))
    assert response.status_code == 200  # the form again, with errors
    page = response.content.decode()
    for name in REFUSALS[layout]:
        assert name in page, name
    definition.refresh_from_db()
    assert definition.layout_html == ""


def test_the_model_check_refuses_it_too(cast):
    definition = CertificateDefinitionFactory.build(
        kind=CertificateKind.SCHOOL_YEAR, issuer=cast.school_a, layout_html="{{ certificate.learner.password }}"
    )
    with pytest.raises(ValidationError) as error:
        definition.full_clean()
    assert "certificate.learner.password" in str(error.value.message_dict["layout_html"])


def test_the_cms_accepts_a_layout_of_the_documented_fields(cast, client_for, superuser):
    _curriculum, _course, definition = course_with_definition(cast.base_x)
    url = reverse("wagtailsnippets_certificates_certificatedefinition:edit", args=[definition.pk])
    layout = (
        "<h1>{{ c.title }}</h1>{% for course in c.courses|slice:':3' %}{{ course.title }}{% endfor %}"
        "{% with name=c.holder_name %}{{ name|default:'—' }}{% endwith %}{{ seal_url }}{{ kind }}"
    )
    response = client_for(superuser).post(
        url, _form_data(definition, layout_html=layout, layout_css=".frame { border-color: #123456; }")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    definition.refresh_from_db()
    assert definition.layout_html == layout


def test_the_cms_refuses_css_that_closes_the_style_element(cast, client_for, superuser):
    _curriculum, _course, definition = course_with_definition(cast.base_x)
    url = reverse("wagtailsnippets_certificates_certificatedefinition:edit", args=[definition.pk])
    css = "h1 { color: red; }</style><h1>injected</h1><style>"
    response = client_for(superuser).post(url, _form_data(definition, layout_css=css))
    assert response.status_code == 200  # the form again, with the error
    definition.refresh_from_db()
    assert definition.layout_css == ""
    definition.layout_css = css
    with pytest.raises(ValidationError) as error:
        definition.full_clean()
    assert "<" in str(error.value.message_dict["layout_css"])


def test_css_stored_with_a_closing_tag_cannot_inject_markup(cast, holder):
    certificate = _issue(cast, holder)
    definition = certificate.definition
    definition.layout_css = "h1 { color: red; }</style><h1>injected {{ c.title }}</h1><style>"
    definition.save(update_fields=["layout_css"])
    certificate.refresh_from_db()
    html = certificate_html(certificate=certificate)
    assert "<h1>injected" not in html
