"""The site's URLs plus /bench/ceiling/: a bare Django view rendering a tiny template.

Only the benchmark settings load this module, so the ceiling never exists in production.
"""

from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def ceiling(request):
    return render(request, "bench/ceiling.html", {"greeting": "Hello"})


urlpatterns = [path("bench/ceiling/", ceiling), *site_urlpatterns]
