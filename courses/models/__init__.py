from .hours import HoursEntry, HoursEntryEvent, HoursKind, HoursStatus

__all__ = ["HoursEntry", "HoursEntryEvent", "HoursKind", "HoursStatus"]
