"""Reads of the courses app; each submodule groups one screen's or one entity's queries."""
