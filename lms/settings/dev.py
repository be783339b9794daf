"""`make run`: the embedded default (SQLite, eager tasks, console email)."""

from lms.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
