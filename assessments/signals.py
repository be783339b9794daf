"""Signals other apps listen to; sent only after the transaction that caused them commits.

attempt_graded(sender=Attempt, attempt=Attempt): once per attempt, when it is graded (submitted or closed late).
practical_assessment_recorded(sender=PracticalAssessment, assessment=PracticalAssessment): once per record.
"""

from django.dispatch import Signal

attempt_graded = Signal()
practical_assessment_recorded = Signal()
