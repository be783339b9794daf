"""Review policies that never hand out the answer key of questions still in use (ADR 0019): the policies that showed
it after each attempt, after a pass or once a learner's attempts ran out become "correctness" (right or wrong per
question); "never" stays. Practice quizzes and close times are new."""

from django.db import migrations, models

# The old policies, all of which showed the key to an account that had submitted, passed or used up its attempts.
OLD_POLICIES_SHOWING_THE_KEY = ("after_submit", "after_pass", "after_last_attempt")


def to_safe_policies(apps, schema_editor):
    Quiz = apps.get_model("assessments", "Quiz")
    Quiz.objects.filter(review_policy__in=OLD_POLICIES_SHOWING_THE_KEY).update(review_policy="correctness")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_quizzes_and_rubrics_moderated"),
        ("content", "0002_page_types"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="quiz",
            name="closes_at",
            field=models.DateTimeField(
                blank=True,
                help_text="No attempt starts after this time, and open attempts end at it. Empty: the quiz stays open.",
                null=True,
                verbose_name="closes at",
            ),
        ),
        migrations.AddField(
            model_name="quiz",
            name="is_practice",
            field=models.BooleanField(
                default=False,
                help_text="Credits nothing and belongs to no course. Only a practice quiz may show the answers right after each attempt, and only while no graded quiz draws on its bank.",
                verbose_name="practice quiz",
            ),
        ),
        migrations.AlterField(
            model_name="quiz",
            name="review_policy",
            field=models.CharField(
                choices=[
                    ("correctness", "Right or wrong per question, never the answers"),
                    ("after_close", "Right or wrong; the answers once the quiz has closed"),
                    ("never", "The score only"),
                    ("immediately", "The answers right after each attempt (practice quizzes only)"),
                ],
                default="correctness",
                max_length=24,
                verbose_name="show answers and feedback",
            ),
        ),
        migrations.RunPython(to_safe_policies, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="quiz",
            name="standalone_open",
            field=models.BooleanField(
                default=False,
                help_text="Any signed-in user may take this quiz from its own page.",
                verbose_name="open outside courses",
            ),
        ),
        migrations.AddConstraint(
            model_name="quiz",
            constraint=models.CheckConstraint(
                condition=models.Q(("is_practice", False), ("course__isnull", True), _connector="OR"),
                name="quiz_practice_has_no_course",
                violation_error_message="A practice quiz credits nothing: it cannot belong to a course.",
            ),
        ),
        migrations.AddConstraint(
            model_name="quiz",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("review_policy", "immediately"), _negated=True), ("is_practice", True), _connector="OR"
                ),
                name="quiz_immediate_review_only_for_practice",
                violation_error_message="Only a practice quiz may show the answers right after each attempt.",
            ),
        ),
        migrations.AddConstraint(
            model_name="quiz",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("review_policy", "after_close"), _negated=True),
                    ("closes_at__isnull", False),
                    _connector="OR",
                ),
                name="quiz_review_after_close_needs_a_close",
                violation_error_message="Set when the quiz closes, or choose another review policy.",
            ),
        ),
    ]
