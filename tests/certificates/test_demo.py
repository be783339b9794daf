import pytest

from accounts.demo import load_organizations
from certificates import demo
from certificates.models import CertificateDefinition
from content.demo import load as load_content

pytestmark = pytest.mark.django_db


def test_the_demo_definitions_load_twice_without_duplicates():
    from content.services import home_page_ensure

    home_page_ensure(title="首页")
    load_organizations()
    load_content()
    first = demo.load()
    second = demo.load()
    assert first["created"] > 0 and second["created"] == 0
    assert first["definitions"] == second["definitions"] == CertificateDefinition.objects.count()
    kinds = set(CertificateDefinition.objects.values_list("kind", flat=True))
    assert kinds == {"course", "curriculum", "service_record", "school_year"}
    assert CertificateDefinition.objects.filter(kind="service_record", issuer__slug="no1-middle-school").exists()
