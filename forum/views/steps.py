from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forum.caching import cache_for_visitors
from forum.selectors.boards import get_step_board
from forum.selectors.steps import all_steps
from forum.views.boards import board_context, render_board_page


@cache_for_visitors
def step_list(request: HttpRequest) -> HttpResponse:
    """For a member, the list is their progress: steps worked (and when), the current one."""
    steps = list(all_steps())
    if request.user.is_authenticated:
        from accounts.selectors_workbook import steps_worked

        worked = steps_worked(request.user)
        for step in steps:
            change = worked.get(step.number)
            step.moved_on_at = change.changed_at if change else None
            step.came_in = bool(change and change.came_in)
            step.is_current = step.number == request.user.current_step
    return render(request, "forum/step_list.html", {"steps": steps})


@cache_for_visitors
def step_detail(request: HttpRequest, number: int) -> HttpResponse:
    """The step page is also the step's board."""
    board = get_step_board(number)
    step = board.step
    is_current = request.user.is_authenticated and request.user.current_step == step.number
    values = {
        "step": {
            "number": step.number,
            "name": step.name,
            "principle": step.principle,
            "purpose": step.purpose,
            "prepares": step.prepares,
        },
        "is_current": is_current,
        **board_context(request, board),
    }
    return render_board_page(
        request,
        "forum/step_detail.html",
        own_part="forum/_step_page.html",
        values=values,
        context={"step": step, "board": board},
    )
