from django.urls import path

from badges.views import badges, teams

app_name = "badges"

urlpatterns = [
    # The public Open Badges documents, then the learner's and issuers' pages
    path("badges/", badges.my_badges, name="my_badges"),
    path("badges/jwks.json", badges.jwks_view, name="badge_jwks"),
    path("badges/awards/<uuid:uid>/", badges.award_page, name="badge_award"),
    path("badges/awards/<uuid:uid>/credential.json", badges.award_credential, name="badge_award_credential"),
    path("badges/awards/<uuid:uid>/credential.jwt", badges.award_credential_jwt, name="badge_award_jwt"),
    path("badges/awards/<uuid:uid>/assertion.json", badges.award_assertion, name="badge_assertion"),
    path("badges/awards/<uuid:uid>/badge.png", badges.award_image, name="badge_award_image"),
    path("badges/achievements/<slug:slug>/", badges.achievement, name="badge_achievement"),
    path("badges/achievements/<slug:slug>/criteria/", badges.achievement_page, name="badge_achievement_page"),
    path("badges/achievements/<slug:slug>/ob2.json", badges.badge_class_ob2, name="badge_class_ob2"),
    path("badges/achievements/<slug:slug>/image.png", badges.badge_class_image, name="badge_class_image"),
    path("badges/issuers/<slug:slug>/", badges.issuer_profile, name="badge_issuer"),
    path("badges/issuers/<slug:slug>/about/", badges.issuer_page, name="badge_issuer_page"),
    path("badges/issuers/<slug:slug>/ob2.json", badges.issuer_ob2, name="badge_issuer_ob2"),
    path("badges/issuers/<slug:slug>/status/", badges.status_list, name="badge_status_list"),
    path("badges/issue/", badges.award_manual, name="badge_award_manual"),
    path("badges/issued/<int:pk>/", badges.issued_detail, name="badge_issued_detail"),
    # Specialised teams
    path("teams/", teams.team_list, name="team_list"),
    path("teams/applications/<int:pk>/decide/", teams.application_decide, name="team_application_decide"),
    path("teams/<slug:slug>/", teams.team_detail, name="team_detail"),
    path("teams/<slug:slug>/manage/", teams.team_manage, name="team_manage"),
    path("teams/<slug:slug>/search/", teams.team_search, name="team_search"),
]
