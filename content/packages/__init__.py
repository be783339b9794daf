"""Curriculum packages (docs/curriculum-package.md): read and validate, import by stable keys, export."""

from content.packages.exporter import package_export
from content.packages.importer import ImportReport, package_import
from content.packages.reader import Package, PackageInvalid, Problem, package_read

__all__ = ["ImportReport", "Package", "PackageInvalid", "Problem", "package_export", "package_import", "package_read"]
