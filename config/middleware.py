"""Request checks that belong to no app: they guard every view at once."""

from __future__ import annotations

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
