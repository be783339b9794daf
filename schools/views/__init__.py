"""The school pages: roster, import, classes, practice activities, compliance report and export, activation.

Every organisation comes from the URL's slug and is checked with the permission service; a user without the
permission gets a 404, as for an organisation that does not exist.
"""

from schools.views.activities import (
    activity_detail,
    activity_list,
    activity_new,
    activity_verify,
    participation_reject,
)
from schools.views.reports import compliance_export, compliance_report
from schools.views.roster_import import (
    roster_import_cancel,
    roster_import_confirm,
    roster_import_detail,
    roster_import_upload,
    roster_template,
)
from schools.views.students import (
    activate,
    classes_and_policy,
    organization_overview,
    roster_list,
    school_home,
    student_detail,
)

__all__ = [
    "activate",
    "activity_detail",
    "activity_list",
    "activity_new",
    "activity_verify",
    "classes_and_policy",
    "compliance_export",
    "compliance_report",
    "organization_overview",
    "participation_reject",
    "roster_import_cancel",
    "roster_import_confirm",
    "roster_import_detail",
    "roster_import_upload",
    "roster_list",
    "roster_template",
    "school_home",
    "student_detail",
]
