from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forum.caching import cache_for_visitors
from forum.presenters import present_topics
from forum.selectors.following import LATEST_ON_HOME, latest_topics
from forum.selectors.steps import all_steps


@cache_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    """Visitors see what Homegroup is; a member's home knows their step (forum/selectors/home.py)."""
    latest = latest_topics(request.user)[:LATEST_ON_HOME]
    context = {
        "steps": all_steps(),
        "latest_rows": present_topics(latest, viewer=request.user, show_board=True),
    }
    if request.user.is_authenticated:
        from forum.selectors.home import member_home

        context.update(member_home(request.user))
    return render(request, "forum/home.html", context)


@cache_for_visitors
def crisis(request: HttpRequest) -> HttpResponse:
    """Resources come from the database (admins edit them); settings.CRISIS_RESOURCES is the
    fallback should the table be empty."""
    from forum.actions.safety import crisis_resources

    return render(request, "forum/crisis.html", {"resources": crisis_resources()})
