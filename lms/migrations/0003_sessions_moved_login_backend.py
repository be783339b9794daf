# Sessions of users logged in before the layout change (ADR 0012) name the login backend by its old import path; Django
# treats a session whose backend is not in AUTHENTICATION_BACKENDS as anonymous, so everyone would be logged out at the
# deploy. This rewrites the path in the sessions that have not expired. Reversible.

from django.db import migrations
from django.utils import timezone

OLD = "lms.accounts.backends.UsernameOrPhoneBackend"
NEW = "accounts.backends.UsernameOrPhoneBackend"
BACKEND_SESSION_KEY = "_auth_user_backend"


def _rewrite(apps, source: str, target: str) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    session_model = apps.get_model("sessions", "Session")
    store = SessionStore()
    changed = []
    for session in session_model.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=1000):
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) != source:
            continue
        data[BACKEND_SESSION_KEY] = target
        session.session_data = store.encode(data)
        changed.append(session)
        if len(changed) >= 1000:
            session_model.objects.bulk_update(changed, ["session_data"])
            changed = []
    if changed:
        session_model.objects.bulk_update(changed, ["session_data"])


def forwards(apps, schema_editor):
    _rewrite(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rewrite(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0002_xapi_move_out"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
