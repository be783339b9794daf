from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("quizzes/<int:quiz_id>/", views.quiz_detail, name="quiz_detail"),
    path("quizzes/<int:quiz_id>/start/", views.quiz_start, name="quiz_start"),
    path("attempts/<int:attempt_id>/", views.attempt_detail, name="attempt_detail"),
    path("attempts/<int:attempt_id>/answers/", views.attempt_answers, name="attempt_answers"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit_view, name="attempt_submit"),
    path("practical/", views.practical_results, name="practical_results"),
    path("practical/record/", views.practical_record_choose, name="practical_record_choose"),
    path("practical/record/<int:rubric_id>/", views.practical_record, name="practical_record"),
]
