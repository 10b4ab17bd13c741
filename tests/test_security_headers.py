"""Headers every page carries, and Django's deployment checklist under production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from csp.constants import NONE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.utils import build_policy
from django.http import HttpResponse

from accounts.crypto import generate_key
from config.middleware import ContentSecurityPolicyMiddleware

ROOT = Path(__file__).resolve().parent.parent


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/steps/1/", "/account/login/", "/crisis/"])
def test_every_page_has_a_strict_content_security_policy(client, url):
    response = client.get(url)

    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    for values in csp.values():
        assert "'unsafe-inline'" not in values
        assert "'unsafe-eval'" not in values
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_policy_is_the_one_django_csp_builds_and_follows_changed_settings(client, settings):
    """The header is built once per process (config/middleware.py), yet reads like django-csp's
    own build and changes with the settings."""
    assert client.get("/crisis/")["Content-Security-Policy"] == build_policy()
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "img-src": [SELF, "data:"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"script-src": [NONE]}}

    response = client.get("/crisis/")

    assert parse_csp(response["Content-Security-Policy"])["img-src"] == ["'self'", "data:"]
    assert parse_csp(response["Content-Security-Policy-Report-Only"])["script-src"] == ["'none'"]


def test_a_view_with_a_policy_of_its_own_gets_django_csps_build_of_it(rf):
    """The per-process header is only for responses without a csp decorator of their own."""

    @csp_exempt()
    def exempt(request):
        return HttpResponse("no policy")

    @csp_update({"img-src": ["data:"]})
    def updated(request):
        return HttpResponse("a wider policy")

    middleware = ContentSecurityPolicyMiddleware(lambda request: None)
    responses = {}
    for name, view in (("exempt", exempt), ("updated", updated)):
        request = rf.get("/")
        middleware.process_request(request)
        responses[name] = middleware.process_response(request, view(request))

    assert "Content-Security-Policy" not in responses["exempt"]
    updated_policy = parse_csp(responses["updated"]["Content-Security-Policy"])
    assert updated_policy["img-src"] == ["'self'", "data:"]


def test_manage_py_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 20 + "-production-check-" + "y" * 30,
        "WORKBOOK_KEYS": generate_key(),
        "ALLOWED_HOSTS": "homegroup.example",
        "HOMEGROUP_VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "WORKBOOK_KEYS"])
def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path, missing):
    env = {k: v for k, v in os.environ.items() if k != missing}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", HOMEGROUP_VAR_DIR=str(tmp_path))
    if missing != "SECRET_KEY":
        env["SECRET_KEY"] = "x" * 50
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr
