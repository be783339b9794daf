"""Errors the services raise; each carries a message fit to show the learner or editor."""

from django.core.exceptions import ValidationError


class AttemptNotAllowed(ValidationError):
    """A new attempt may not start (no attempts left, cooldown, empty quiz)."""


class AttemptClosed(ValidationError):
    """The attempt is no longer open: already submitted, or its time is up."""


class InvalidAnswer(ValidationError):
    """An answer does not fit its question (unknown option, wrong shape)."""
