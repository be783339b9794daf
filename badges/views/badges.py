"""Badge views: the public Open Badges documents (no login: backpacks and verifiers fetch them), the learner's
badges, and issuers' manual awarding and revocation."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Organization
from accounts.permissions import get_object_for_user_or_404, organizations_for_user
from badges import selectors as selectors
from badges import services
from badges.forms import ManualAwardForm, RevokeBadgeForm
from badges.models import BadgeAward, BadgeClass
from badges.openbadges import credentials, ob2
from badges.openbadges.baking import bake_png, default_badge_png
from badges.openbadges.keys import jwks
from badges.openbadges.status_list import status_list_credential
from badges.openbadges.urls import absolute

LD_JSON = "application/ld+json"


def _json(data: dict, *, status: int = 200, content_type: str = LD_JSON, cache: bool = True) -> JsonResponse:
    response = JsonResponse(data, status=status, content_type=content_type, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # verifiers and backpacks fetch from their own origins
    response["Cache-Control"] = "public, max-age=300" if cache else "no-store"
    return response


def _award(uid) -> BadgeAward:
    return get_object_or_404(BadgeAward.objects.select_related("badge_class", "issuer", "learner"), uid=uid)


def _badge_class(slug: str) -> BadgeClass:
    return get_object_or_404(BadgeClass.objects.select_related("issuer", "image"), slug=slug)


def _issuer(slug: str) -> Organization:
    organization = Organization.objects.filter(slug=slug, badge_classes__isnull=False).distinct().first()
    if organization is None:
        raise Http404
    return organization


def _badge_png(badge_class: BadgeClass) -> bytes:
    if badge_class.image is not None:
        rendition = badge_class.image.get_rendition("fill-256x256|format-png")
        with rendition.file.open("rb") as handle:
            return handle.read()
    return default_badge_png(skill_area=badge_class.skill_area)


@never_cache
@require_GET
def award_page(request, uid):
    award = _award(uid)
    return render(
        request,
        "badges/award_public.html",
        {"award": award, "credential_url": absolute("badge_award_credential", uid=award.uid)},
    )


@require_GET
def award_credential(request, uid):
    award = _award(uid)
    return _json(award.credential, cache=False)


@require_GET
def award_credential_jwt(request, uid):
    award = _award(uid)
    response = HttpResponse(award.credential_jwt, content_type=credentials.JWT_MEDIA_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@never_cache
@require_GET
def award_assertion(request, uid):
    award = _award(uid)
    # OB 2.0 hosted verification: a revoked assertion answers 410 Gone with revoked: true.
    return _json(ob2.assertion(award), status=410 if award.revoked_at else 200, cache=False)


@require_GET
def award_image(request, uid):
    award = _award(uid)
    png = bake_png(
        _badge_png(award.badge_class), keyword="openbadges", text=json.dumps(ob2.assertion(award), ensure_ascii=False)
    )
    if award.credential_jwt:
        png = bake_png(png, keyword="openbadgecredential", text=award.credential_jwt)
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="badge-{award.uid}.png"'
    return response


@require_GET
def achievement(request, slug: str):
    return _json(credentials.achievement_document(_badge_class(slug)))


@require_GET
def achievement_page(request, slug: str):
    badge_class = _badge_class(slug)
    return render(request, "badges/achievement.html", {"badge": badge_class})


@require_GET
def badge_class_ob2(request, slug: str):
    return _json(ob2.badge_class(_badge_class(slug)))


@require_GET
def badge_class_image(request, slug: str):
    response = HttpResponse(_badge_png(_badge_class(slug)), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def issuer_profile(request, slug: str):
    return _json(credentials.issuer_profile_document(_issuer(slug)))


@require_GET
def issuer_page(request, slug: str):
    organization = _issuer(slug)
    badges = BadgeClass.objects.filter(issuer=organization, is_active=True).order_by("name")
    return render(request, "badges/issuer.html", {"organization": organization, "badges": badges})


@require_GET
def issuer_ob2(request, slug: str):
    return _json(ob2.issuer(_issuer(slug)))


@never_cache
@require_GET
def status_list(request, slug: str):
    organization = _issuer(slug)
    document = status_list_credential(
        organization=organization, revoked_indexes=selectors.revoked_award_ids(issuer=organization)
    )
    if request.GET.get("format") == "jwt":
        response = HttpResponse(credentials.sign_jwt(document), content_type=credentials.JWT_MEDIA_TYPE)
        response["Access-Control-Allow-Origin"] = "*"
        return response
    return _json(document, cache=False)


@require_GET
def jwks_view(request):
    return _json(jwks(), content_type="application/jwk-set+json")


@login_required
@require_GET
def my_badges(request):
    awards = list(selectors.awards_of_learner(learner=request.user))
    return render(request, "badges/my_badges.html", {"awards": awards})


def _issuable_badge_classes(user):
    return list(
        BadgeClass.objects.filter(issuer__in=organizations_for_user(user, "issue_certificates"), is_active=True)
        .select_related("issuer")
        .order_by("name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_manual(request):
    badge_classes = _issuable_badge_classes(request.user)
    if not badge_classes:
        raise Http404
    form = ManualAwardForm(request.POST or None, badge_classes=badge_classes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = services.badge_award_manual(
                badge_class=data["badge_class"],
                learner=data["volunteer_number"],
                actor=request.user,
                evidence_note=data["evidence_note"],
                valid_from=data["valid_from"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, f"{award.badge_class.name} · {award.learner.display_name}")
            return redirect("badges:badge_issued_detail", pk=award.pk)
    awards = selectors.awards_for_issuer(user=request.user)[:50]
    return render(
        request,
        "badges/award_manual.html",
        {"form": form, "awards": awards},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def issued_detail(request, pk: int):
    award = get_object_for_user_or_404(
        request.user,
        "issue_certificates",
        BadgeAward.objects.select_related("badge_class", "issuer", "learner", "awarded_by", "revoked_by"),
        pk=pk,
    )
    form = RevokeBadgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.badge_award_revoke(award=award, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            return redirect("badges:badge_issued_detail", pk=award.pk)
    return render(
        request,
        "badges/issued_detail.html",
        {"award": award, "form": form, "public_url": absolute("badge_award", uid=award.uid)},
        status=400 if request.method == "POST" else 200,
    )
