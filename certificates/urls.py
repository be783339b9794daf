from django.urls import path

from . import views, views_badges, views_teams

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
    # Badges: the public Open Badges documents, then the learner's and issuers' pages.
    path("badges/", views_badges.my_badges, name="my_badges"),
    path("badges/jwks.json", views_badges.jwks_view, name="badge_jwks"),
    path("badges/awards/<uuid:uid>/", views_badges.award_page, name="badge_award"),
    path("badges/awards/<uuid:uid>/credential.json", views_badges.award_credential, name="badge_award_credential"),
    path("badges/awards/<uuid:uid>/credential.jwt", views_badges.award_credential_jwt, name="badge_award_jwt"),
    path("badges/awards/<uuid:uid>/assertion.json", views_badges.award_assertion, name="badge_assertion"),
    path("badges/awards/<uuid:uid>/badge.png", views_badges.award_image, name="badge_award_image"),
    path("badges/achievements/<slug:slug>/", views_badges.achievement, name="badge_achievement"),
    path("badges/achievements/<slug:slug>/criteria/", views_badges.achievement_page, name="badge_achievement_page"),
    path("badges/achievements/<slug:slug>/ob2.json", views_badges.badge_class_ob2, name="badge_class_ob2"),
    path("badges/achievements/<slug:slug>/image.png", views_badges.badge_class_image, name="badge_class_image"),
    path("badges/issuers/<slug:slug>/", views_badges.issuer_profile, name="badge_issuer"),
    path("badges/issuers/<slug:slug>/about/", views_badges.issuer_page, name="badge_issuer_page"),
    path("badges/issuers/<slug:slug>/ob2.json", views_badges.issuer_ob2, name="badge_issuer_ob2"),
    path("badges/issuers/<slug:slug>/status/", views_badges.status_list, name="badge_status_list"),
    path("badges/issue/", views_badges.award_manual, name="badge_award_manual"),
    path("badges/issued/<int:pk>/", views_badges.issued_detail, name="badge_issued_detail"),
    # Specialised teams.
    path("teams/", views_teams.team_list, name="team_list"),
    path("teams/applications/<int:pk>/decide/", views_teams.application_decide, name="team_application_decide"),
    path("teams/<slug:slug>/", views_teams.team_detail, name="team_detail"),
    path("teams/<slug:slug>/manage/", views_teams.team_manage, name="team_manage"),
    path("teams/<slug:slug>/search/", views_teams.team_search, name="team_search"),
]
