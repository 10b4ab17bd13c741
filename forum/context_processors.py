"""Values every page needs."""

from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {"site_name": "Homegroup"}
