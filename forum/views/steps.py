from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forum.caching import cache_for_visitors
from forum.selectors.boards import get_step_board
from forum.selectors.steps import all_steps
from forum.views.boards import board_context


@cache_for_visitors
def step_list(request: HttpRequest) -> HttpResponse:
    return render(request, "forum/step_list.html", {"steps": all_steps()})


@cache_for_visitors
def step_detail(request: HttpRequest, number: int) -> HttpResponse:
    """The step page is also the step's board."""
    board = get_step_board(number)
    step = board.step
    is_current = request.user.is_authenticated and request.user.current_step == step.number
    context = {"step": step, "is_current": is_current, **board_context(request, board)}
    return render(request, "forum/step_detail.html", context)
