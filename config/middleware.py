"""Request checks that belong to no app: they guard every view at once."""

from __future__ import annotations

from functools import lru_cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


def has_nul(request: HttpRequest) -> bool:
    """A NUL anywhere in the address: its path, or a name or value in its query string.

    No view wants one and PostgreSQL refuses it in text, so any lookup with it would be a 500.
    Form fields need no check here: Django's form fields refuse NUL with a clear error.
    """
    if "\x00" in request.path_info:
        return True
    return any(
        "\x00" in name or any("\x00" in value for value in values)
        for name, values in request.GET.lists()
    )


class RejectNulInAddressMiddleware:
    """Answer 400 to an address with a NUL byte, before any view or lookup sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            return HttpResponseBadRequest(
                "A web address cannot contain a NUL character.", content_type="text/plain"
            )
        return self.get_response(request)


# What a view's csp decorators put on a response, and a nonce the page asked for: either means
# the policy is the response's own, built by django-csp.
OWN_POLICY_ATTRIBUTES = frozenset(
    {
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_exempt",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt_ro",
    }
)


@lru_cache(maxsize=1)
def settings_policies() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, policy, excluded prefixes) for each policy the settings give, built once."""
    policies = []
    for header, name, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        policy = build_policy(report_only=report_only)
        if policy:
            prefixes = tuple(
                (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            )
            policies.append((header, policy, prefixes))
    return tuple(policies)


@receiver(setting_changed)
def _forget_settings_policies(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        settings_policies.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the settings' policy built once per process.

    django-csp builds the same header from the settings for every response (a tenth of a bare
    member page's calls). A response with a policy of its own (a csp decorator sets it as an
    attribute of the response) or a request that used a nonce still goes through django-csp's
    own build."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(request, "_csp_nonce", None) is not None or not OWN_POLICY_ATTRIBUTES.isdisjoint(
            vars(response)
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (500, 404):
            return response
        for header, policy, prefixes in settings_policies():
            if header not in response and not request.path_info.startswith(prefixes):
                response[header] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
