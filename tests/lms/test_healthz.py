import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from lms import views

    monkeypatch.setattr(views, "database_status", lambda: (False, "error: OperationalError"))
    response = client.get("/healthz/")
    assert response.status_code == 503


def test_healthz_reports_a_reachable_broker(client, settings):
    from django.conf import settings as django_settings

    if not django_settings.CELERY_BROKER_URL:
        pytest.skip("needs CELERY_BROKER_URL (as .ci/run sets)")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
