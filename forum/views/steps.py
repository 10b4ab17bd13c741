from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forum.selectors.steps import all_steps, get_step


def step_list(request: HttpRequest) -> HttpResponse:
    return render(request, "forum/step_list.html", {"steps": all_steps()})


def step_detail(request: HttpRequest, number: int) -> HttpResponse:
    step = get_step(number)
    is_current = request.user.is_authenticated and request.user.current_step == step.number
    return render(request, "forum/step_detail.html", {"step": step, "is_current": is_current})
