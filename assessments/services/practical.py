"""Recording practical (hands-on) assessments."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import user_can
from assessments.models import PassRule, PracticalAssessment, PracticalItemResult, Rubric
from assessments.signals import practical_assessment_recorded


@transaction.atomic
def practical_assessment_record(
    *,
    rubric: Rubric,
    learner: User,
    assessor: User,
    assessed_on: datetime.date,
    place: str,
    results: Mapping[str, bool],
    notes: str = "",
) -> PracticalAssessment:
    """Record one practical assessment (a result for every checklist item, by item key); the overall result follows
    the rubric's pass rule. Not idempotent: each call is a new sitting."""
    if not user_can(assessor, "assess_learners", rubric):
        raise PermissionDenied(_("You are not an assessor of the organisation that owns this rubric."))
    if assessor.pk == learner.pk:
        raise ValidationError(_("An assessor cannot assess themselves."), code="self")
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment date cannot be in the future.")})
    if not place.strip():
        raise ValidationError({"place": _("Say where the assessment took place.")})
    items = list(rubric.items.all())
    missing = [item.text for item in items if item.key not in results]
    if missing:
        raise ValidationError(_("Give a result for every item; missing: %(items)s.") % {"items": "、".join(missing)})
    unknown = set(results) - {item.key for item in items}
    if unknown:
        raise ValidationError(_("Unknown checklist items: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    considered = items if rubric.pass_rule == PassRule.ALL else [item for item in items if item.required]
    passed = all(bool(results[item.key]) for item in considered)
    assessment = PracticalAssessment.objects.create(
        rubric=rubric,
        learner=learner,
        assessor=assessor,
        assessed_on=assessed_on,
        place=place.strip(),
        passed=passed,
        notes=notes.strip(),
    )
    PracticalItemResult.objects.bulk_create(
        [PracticalItemResult(assessment=assessment, item=item, passed=bool(results[item.key])) for item in items]
    )
    transaction.on_commit(lambda: practical_assessment_recorded.send(sender=PracticalAssessment, assessment=assessment))
    return assessment
