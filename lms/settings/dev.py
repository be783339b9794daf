"""`make run`: the embedded default (SQLite, eager tasks, console email)."""

from lms.env import env_bool
from lms.settings.base import *

DEBUG = env_bool("DEBUG", True)
