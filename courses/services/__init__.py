"""Writes of the courses app; each submodule groups one entity's services."""
