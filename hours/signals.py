"""Signals that `hours` sends to higher layers (badges, certificates). Handlers live in the receiving app."""

from django.dispatch import Signal

# Sent on commit when an hours entry becomes verified. Arguments: entry (hours.HoursEntry).
hours_verified = Signal()
