from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("verify/<str:code>/", views.verify, name="verify"),
    path("certificates/", views.my_certificates, name="mine"),
    path("certificates/<int:pk>/download/", views.download, name="download"),
    path("certificates/issued/", views.issued_list, name="issued_list"),
    path("certificates/issued/export.csv", views.issued_export, name="issued_export"),
    path("certificates/issued/<int:pk>/", views.issued_detail, name="issued_detail"),
    path("certificates/bulk/", views.bulk_issue, name="bulk_issue"),
    path("certificates/bulk/<int:pk>/", views.bulk_job, name="bulk_job"),
    path("certificates/bulk/<int:pk>/rerun/", views.bulk_job_rerun, name="bulk_job_rerun"),
]
