"""Wagtail's admin exports (reports, redirects, form submissions) write their CSV and XLSX cells through the
project's formula neutraliser, `core.spreadsheets.neutralise`.

Wagtail writes every exported cell through `SpreadsheetExportMixin.preprocess_field_value` and every heading
through `get_heading`, but leaves CSV text that starts with "=", "+", "-", "@", a tab or a carriage return as it
is: a page title an editor typed becomes a formula in the administrator's spreadsheet. Wrapping those two methods
once covers every export view of the admin. See docs/decisions/0018-one-neutralising-writer.md.
"""

from functools import wraps

from core.spreadsheets import neutralise


def install() -> None:
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "_cells_neutralised", False):
        return
    preprocess_field_value = SpreadsheetExportMixin.preprocess_field_value
    get_heading = SpreadsheetExportMixin.get_heading

    @wraps(preprocess_field_value)
    def neutralised_value(self, field, value, export_format):
        return neutralise(preprocess_field_value(self, field, value, export_format))

    @wraps(get_heading)
    def neutralised_heading(self, queryset, field):
        return neutralise(get_heading(self, queryset, field))

    SpreadsheetExportMixin.preprocess_field_value = neutralised_value
    SpreadsheetExportMixin.get_heading = neutralised_heading
    SpreadsheetExportMixin._cells_neutralised = True
