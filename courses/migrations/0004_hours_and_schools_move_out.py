# The hours ledger and the school models moved to the hours and schools apps; their tables stay (ADR 0012).
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0003_schools"),
        ("hours", "0001_initial"),
        ("schools", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='compliancereminder',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='hoursentry',
                    name='credited_organization',
                ),
                migrations.RemoveField(
                    model_name='hoursentry',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='hoursentry',
                    name='recorded_by_organization',
                ),
                migrations.RemoveField(
                    model_name='hoursentry',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='hoursentry',
                    name='verified_by',
                ),
                migrations.AlterField(
                    model_name='coursecompletion',
                    name='hours_entry',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='course_completion', to='hours.hoursentry'),
                ),
                migrations.RemoveField(
                    model_name='serviceparticipation',
                    name='hours_entry',
                ),
                migrations.RemoveField(
                    model_name='hoursentryevent',
                    name='entry',
                ),
                migrations.RemoveField(
                    model_name='hoursentryevent',
                    name='actor',
                ),
                migrations.RemoveField(
                    model_name='rosterimport',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='rosterimport',
                    name='uploaded_by',
                ),
                migrations.RemoveField(
                    model_name='studentprofile',
                    name='roster_import',
                ),
                migrations.RemoveField(
                    model_name='schoolclass',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='studentprofile',
                    name='school_class',
                ),
                migrations.RemoveField(
                    model_name='schoolpolicy',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='serviceactivity',
                    name='organizer',
                ),
                migrations.RemoveField(
                    model_name='serviceactivity',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='serviceparticipation',
                    name='activity',
                ),
                migrations.RemoveField(
                    model_name='serviceparticipation',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='studentprofile',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='studentprofile',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='ComplianceReminder',
                ),
                migrations.DeleteModel(
                    name='HoursEntry',
                ),
                migrations.DeleteModel(
                    name='HoursEntryEvent',
                ),
                migrations.DeleteModel(
                    name='RosterImport',
                ),
                migrations.DeleteModel(
                    name='SchoolClass',
                ),
                migrations.DeleteModel(
                    name='SchoolPolicy',
                ),
                migrations.DeleteModel(
                    name='ServiceActivity',
                ),
                migrations.DeleteModel(
                    name='ServiceParticipation',
                ),
                migrations.DeleteModel(
                    name='StudentProfile',
                ),
            ],
        ),
    ]
