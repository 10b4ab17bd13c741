from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.selectors import get_member_by_pseudonym


def profile(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = get_member_by_pseudonym(pseudonym)
    return render(request, "accounts/profile.html", {"member": member})
