"""The courses app's API (mounted by lms/api.py): the learner's path and the coordinators' school endpoints."""

from django.urls import path

from . import learner, schools

urlpatterns = [
    path("courses/<int:course_id>/", learner.CourseDetailView.as_view(), name="course-detail"),
    path("courses/<int:course_id>/enrollment/", learner.CourseEnrollmentView.as_view(), name="course-enrollment"),
    path("enrollments/<int:enrollment_id>/", learner.EnrollmentDetailView.as_view(), name="enrollment-detail"),
    path("lessons/<int:lesson_id>/", learner.LessonDetailView.as_view(), name="lesson-detail"),
    path("lessons/<int:lesson_id>/completion/", learner.LessonCompletionView.as_view(), name="lesson-completion"),
    path("quizzes/<int:quiz_id>/attempts/", learner.QuizAttemptsView.as_view(), name="quiz-attempts"),
    path("me/progress/", learner.MyProgressView.as_view(), name="me-progress"),
    path("me/hours/", learner.MyHoursView.as_view(), name="me-hours"),
    path("me/hours/entries/", learner.MyHoursEntriesView.as_view(), name="me-hours-entries"),
    path("organizations/<int:organization_id>/students/", schools.RosterView.as_view(), name="org-students"),
    path(
        "organizations/<int:organization_id>/students/<int:student_id>/",
        schools.StudentDetailView.as_view(),
        name="org-student",
    ),
    path("organizations/<int:organization_id>/compliance/", schools.ComplianceView.as_view(), name="org-compliance"),
    path(
        "organizations/<int:organization_id>/compliance/students/",
        schools.ComplianceStudentsView.as_view(),
        name="org-compliance-students",
    ),
    path("organizations/<int:organization_id>/activities/", schools.ActivitiesView.as_view(), name="org-activities"),
    path(
        "organizations/<int:organization_id>/activities/<int:activity_id>/",
        schools.ActivityDetailView.as_view(),
        name="org-activity",
    ),
    path(
        "organizations/<int:organization_id>/activities/<int:activity_id>/verification/",
        schools.ActivityVerificationView.as_view(),
        name="org-activity-verification",
    ),
    path(
        "organizations/<int:organization_id>/activities/<int:activity_id>/participations/<int:participation_id>/"
        "rejection/",
        schools.ParticipationRejectionView.as_view(),
        name="org-participation-rejection",
    ),
]
