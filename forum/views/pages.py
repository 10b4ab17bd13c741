from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forum.caching import cache_for_visitors
from forum.presenters import present_topics
from forum.selectors.following import LATEST_ON_HOME, latest_topics
from forum.selectors.steps import all_steps


@cache_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    latest = latest_topics(request.user)[:LATEST_ON_HOME]
    latest_rows = present_topics(latest, viewer=request.user, show_board=True)
    return render(request, "forum/home.html", {"steps": all_steps(), "latest_rows": latest_rows})


@cache_for_visitors
def crisis(request: HttpRequest) -> HttpResponse:
    """Resources come from the database (admins edit them); settings.CRISIS_RESOURCES is the
    fallback should the table be empty."""
    from forum.actions.safety import crisis_resources

    return render(request, "forum/crisis.html", {"resources": crisis_resources()})
