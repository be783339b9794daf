from django.urls import path

from schools import views

app_name = "schools"

urlpatterns = [
    path("school/", views.school_home, name="school_home"),
    path("school/activate/", views.activate, name="school_activate"),
    path("school/roster-template.<str:file_format>", views.roster_template, name="school_roster_template"),
    path("school/<slug:slug>/", views.organization_overview, name="school_overview"),
    path("school/<slug:slug>/students/", views.roster_list, name="school_roster"),
    path("school/<slug:slug>/students/<int:student_id>/", views.student_detail, name="school_student"),
    path("school/<slug:slug>/classes/", views.classes_and_policy, name="school_classes"),
    path("school/<slug:slug>/roster/import/", views.roster_import_upload, name="school_roster_upload"),
    path(
        "school/<slug:slug>/roster/imports/<int:import_id>/",
        views.roster_import_detail,
        name="school_roster_import",
    ),
    path(
        "school/<slug:slug>/roster/imports/<int:import_id>/confirm/",
        views.roster_import_confirm,
        name="school_roster_import_confirm",
    ),
    path(
        "school/<slug:slug>/roster/imports/<int:import_id>/cancel/",
        views.roster_import_cancel,
        name="school_roster_import_cancel",
    ),
    path("school/<slug:slug>/activities/", views.activity_list, name="school_activities"),
    path("school/<slug:slug>/activities/new/", views.activity_new, name="school_activity_new"),
    path("school/<slug:slug>/activities/<int:activity_id>/", views.activity_detail, name="school_activity"),
    path(
        "school/<slug:slug>/activities/<int:activity_id>/verify/",
        views.activity_verify,
        name="school_activity_verify",
    ),
    path(
        "school/<slug:slug>/activities/<int:activity_id>/participants/<int:participation_id>/reject/",
        views.participation_reject,
        name="school_participation_reject",
    ),
    path("school/<slug:slug>/report/", views.compliance_report, name="school_report"),
    path("school/<slug:slug>/report/export.<str:file_format>", views.compliance_export, name="school_export"),
]
