"""The reading clock (ADR 0019): reading time credited per lesson by heartbeats, one clock per enrolment. Lessons
opened but not finished start from nothing: the time since opening them was never time on the page."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_hours_and_schools_move_out"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrollment",
            name="last_heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reading time credited up to"),
        ),
        migrations.AddField(
            model_name="lessonprogress",
            name="credited_seconds",
            field=models.PositiveIntegerField(default=0, verbose_name="reading time (seconds)"),
        ),
    ]
