# Badges and teams moved to the badges app; their tables stay (ADR 0012).
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("certificates", "0002_badges_and_teams"),
        ("badges", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='badgeexpiryreminder',
                    name='award',
                ),
                migrations.RemoveField(
                    model_name='badgeclass',
                    name='courses',
                ),
                migrations.RemoveField(
                    model_name='badgeclass',
                    name='image',
                ),
                migrations.RemoveField(
                    model_name='badgeclass',
                    name='issuer',
                ),
                migrations.RemoveField(
                    model_name='badgeclass',
                    name='refresher_courses',
                ),
                migrations.RemoveField(
                    model_name='badgeclass',
                    name='rubrics',
                ),
                migrations.RemoveField(
                    model_name='teamrequiredbadge',
                    name='badge_class',
                ),
                migrations.RemoveField(
                    model_name='badgequizrequirement',
                    name='badge_class',
                ),
                migrations.RemoveField(
                    model_name='badgequizrequirement',
                    name='quiz',
                ),
                migrations.RemoveField(
                    model_name='teamapplication',
                    name='applicant',
                ),
                migrations.RemoveField(
                    model_name='teamapplication',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='teamapplication',
                    name='team',
                ),
                migrations.RemoveField(
                    model_name='teamrequiredbadge',
                    name='team',
                ),
                migrations.DeleteModel(
                    name='BadgeAward',
                ),
                migrations.DeleteModel(
                    name='BadgeExpiryReminder',
                ),
                migrations.DeleteModel(
                    name='BadgeClass',
                ),
                migrations.DeleteModel(
                    name='BadgeQuizRequirement',
                ),
                migrations.DeleteModel(
                    name='TeamApplication',
                ),
                migrations.DeleteModel(
                    name='TeamRequiredBadge',
                ),
            ],
        ),
    ]
