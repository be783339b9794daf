"""The Content-Security-Policy header: strict on the site, inline scripts and styles only under the Wagtail admin and
the API docs, sent by production too (what the browser makes of it: tests/e2e/test_csp.py)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.lms.test_settings import PRODUCTION_ENV, run_manage

PROJECT = Path(__file__).resolve().parents[2]


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_the_site_allows_scripts_and_styles_from_its_own_origin_only(client):
    response = client.get("/accounts/login/")
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/cms/login/", "/api/docs/"])
def test_the_admin_and_the_api_docs_may_also_run_inline_code(client, path):
    response = client.get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'nonce-" not in response["Content-Security-Policy"]  # a nonce would void 'unsafe-inline'


def test_the_error_page_style_is_allowed_by_its_hash():
    page = (PROJECT / "templates" / "500.html").read_text(encoding="utf-8")
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'" for style in styles]
    assert hashes and set(hashes) <= set(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"])


def test_production_sends_the_policy():
    script = (
        "from django.conf import settings; from django.http import HttpResponse; "
        "from django.test import RequestFactory; from django.utils.module_loading import import_string; "
        "name = 'lms.csp.ContentSecurityPolicyMiddleware'; assert name in settings.MIDDLEWARE; "
        "response = import_string(name)(lambda request: HttpResponse())(RequestFactory().get('/', secure=True)); "
        "print('CSP=' + response.headers.get('Content-Security-Policy', ''))"
    )
    result = run_manage("shell", "-c", script, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if line.startswith("CSP="))[4:]
    assert _directives(header)["script-src"] == ["'self'"]
