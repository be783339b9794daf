import pytest
from django.urls import reverse

from certificates.models import Certificate
from tests.certificates.factories import complete, course_with_definition

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_the_learners_certificates_with_a_download_link(
    cast, client_for, django_capture_on_commit_callbacks
):
    _curriculum, course, _definition = course_with_definition(cast.base_x)
    with django_capture_on_commit_callbacks(execute=True):
        complete(cast.learner, course)
    certificate = Certificate.objects.get(learner=cast.learner)
    html = client_for(cast.learner).get(reverse("courses:dashboard")).content.decode()
    assert 'data-testid="my-certificates"' in html
    assert reverse("certificates:download", args=[certificate.pk]) in html
    assert certificate.number in html


def test_another_learners_dashboard_does_not_show_them(cast, client_for, django_capture_on_commit_callbacks):
    _curriculum, course, _definition = course_with_definition(cast.base_x)
    with django_capture_on_commit_callbacks(execute=True):
        complete(cast.learner, course)
    certificate = Certificate.objects.get(learner=cast.learner)
    html = client_for(cast.outsider).get(reverse("courses:dashboard")).content.decode()
    assert certificate.number not in html
    assert client_for(cast.outsider).get(reverse("certificates:download", args=[certificate.pk])).status_code == 404
