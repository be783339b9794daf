"""Signals that `badges` sends to higher layers. Handlers live in the receiving app.

badge_awarded(sender=BadgeAward, award=BadgeAward): once per new award, after the awarding transaction commits.
"""

from django.dispatch import Signal

badge_awarded = Signal()
