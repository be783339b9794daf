# xAPI statements moved to the xapi app; the table stays (ADR 0012).
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("lms", "0001_initial"),
        ("xapi", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='XapiStatement',
                ),
            ],
        ),
    ]
