from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forum.selectors.steps import all_steps


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "forum/home.html", {"steps": all_steps()})


def crisis(request: HttpRequest) -> HttpResponse:
    return render(request, "forum/crisis.html", {"resources": settings.CRISIS_RESOURCES})
