from django.urls import path

from . import learner_views, school_views

app_name = "courses"

urlpatterns = [
    # The learner's path (issue 5)
    path("learn/", learner_views.dashboard, name="dashboard"),
    path("learn/courses/<int:course_id>/enrol/", learner_views.course_enrol, name="course_enrol"),
    path("learn/enrolments/<int:enrollment_id>/", learner_views.player, name="player"),
    path("learn/enrolments/<int:enrollment_id>/resume/", learner_views.player_resume, name="player_resume"),
    path(
        "learn/enrolments/<int:enrollment_id>/withdraw/",
        learner_views.enrollment_withdraw_view,
        name="enrollment_withdraw",
    ),
    path(
        "learn/enrolments/<int:enrollment_id>/lessons/<int:lesson_id>/",
        learner_views.player_lesson,
        name="player_lesson",
    ),
    path(
        "learn/enrolments/<int:enrollment_id>/lessons/<int:lesson_id>/done/",
        learner_views.player_lesson_done,
        name="player_lesson_done",
    ),
    path("learn/enrolments/<int:enrollment_id>/quizzes/<int:quiz_id>/", learner_views.player_quiz, name="player_quiz"),
    path(
        "learn/enrolments/<int:enrollment_id>/attempts/<int:attempt_id>/",
        learner_views.player_attempt,
        name="player_attempt",
    ),
    path(
        "learn/enrolments/<int:enrollment_id>/attempts/<int:attempt_id>/submit/",
        learner_views.player_attempt_submit,
        name="player_attempt_submit",
    ),
    path("learn/transcript/", learner_views.transcript, name="transcript"),
    path("learn/transcript.pdf", learner_views.transcript_pdf, name="transcript_pdf"),
    path("learn/learners/<int:user_id>/transcript/", learner_views.transcript, name="learner_transcript"),
    path("learn/learners/<int:user_id>/transcript.pdf", learner_views.transcript_pdf, name="learner_transcript_pdf"),
    path("learn/organisations/<int:organization_id>/enrol/", learner_views.group_enrol, name="group_enrol"),
    # Schools: rosters, practice activities, compliance (issue 6)
    path("school/", school_views.school_home, name="school_home"),
    path("school/activate/", school_views.activate, name="school_activate"),
    path("school/roster-template.<str:file_format>", school_views.roster_template, name="school_roster_template"),
    path("school/<slug:slug>/", school_views.organization_overview, name="school_overview"),
    path("school/<slug:slug>/students/", school_views.roster_list, name="school_roster"),
    path("school/<slug:slug>/students/<int:student_id>/", school_views.student_detail, name="school_student"),
    path("school/<slug:slug>/classes/", school_views.classes_and_policy, name="school_classes"),
    path("school/<slug:slug>/roster/import/", school_views.roster_import_upload, name="school_roster_upload"),
    path(
        "school/<slug:slug>/roster/imports/<int:import_id>/",
        school_views.roster_import_detail,
        name="school_roster_import",
    ),
    path(
        "school/<slug:slug>/roster/imports/<int:import_id>/confirm/",
        school_views.roster_import_confirm,
        name="school_roster_import_confirm",
    ),
    path(
        "school/<slug:slug>/roster/imports/<int:import_id>/cancel/",
        school_views.roster_import_cancel,
        name="school_roster_import_cancel",
    ),
    path("school/<slug:slug>/activities/", school_views.activity_list, name="school_activities"),
    path("school/<slug:slug>/activities/new/", school_views.activity_new, name="school_activity_new"),
    path("school/<slug:slug>/activities/<int:activity_id>/", school_views.activity_detail, name="school_activity"),
    path(
        "school/<slug:slug>/activities/<int:activity_id>/verify/",
        school_views.activity_verify,
        name="school_activity_verify",
    ),
    path(
        "school/<slug:slug>/activities/<int:activity_id>/participants/<int:participation_id>/reject/",
        school_views.participation_reject,
        name="school_participation_reject",
    ),
    path("school/<slug:slug>/report/", school_views.compliance_report, name="school_report"),
    path("school/<slug:slug>/report/export.<str:file_format>", school_views.compliance_export, name="school_export"),
]
