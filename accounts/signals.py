"""Signals of the accounts app, sent after their transaction commits (docs/architecture.md "Layers")."""

from django.dispatch import Signal

# A self-registered account confirmed its phone or email (once per account): user=. Courses credit what waited.
user_verified = Signal()
