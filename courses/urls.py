from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("learn/", views.dashboard, name="dashboard"),
    path("learn/courses/<int:course_id>/enrol/", views.course_enrol, name="course_enrol"),
    path("learn/enrolments/<int:enrollment_id>/", views.player, name="player"),
    path("learn/enrolments/<int:enrollment_id>/resume/", views.player_resume, name="player_resume"),
    path(
        "learn/enrolments/<int:enrollment_id>/withdraw/",
        views.enrollment_withdraw_view,
        name="enrollment_withdraw",
    ),
    path(
        "learn/enrolments/<int:enrollment_id>/lessons/<int:lesson_id>/",
        views.player_lesson,
        name="player_lesson",
    ),
    path(
        "learn/enrolments/<int:enrollment_id>/lessons/<int:lesson_id>/done/",
        views.player_lesson_done,
        name="player_lesson_done",
    ),
    path(
        "learn/enrolments/<int:enrollment_id>/lessons/<int:lesson_id>/heartbeat/",
        views.player_lesson_heartbeat,
        name="player_lesson_heartbeat",
    ),
    path("learn/enrolments/<int:enrollment_id>/quizzes/<int:quiz_id>/", views.player_quiz, name="player_quiz"),
    path(
        "learn/enrolments/<int:enrollment_id>/attempts/<int:attempt_id>/",
        views.player_attempt,
        name="player_attempt",
    ),
    path(
        "learn/enrolments/<int:enrollment_id>/attempts/<int:attempt_id>/submit/",
        views.player_attempt_submit,
        name="player_attempt_submit",
    ),
    path("learn/transcript/", views.transcript, name="transcript"),
    path("learn/transcript.pdf", views.transcript_pdf, name="transcript_pdf"),
    path("learn/learners/<int:user_id>/transcript/", views.transcript, name="learner_transcript"),
    path("learn/learners/<int:user_id>/transcript.pdf", views.transcript_pdf, name="learner_transcript_pdf"),
    path("learn/organisations/<int:organization_id>/enrol/", views.group_enrol, name="group_enrol"),
]
