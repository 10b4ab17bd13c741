from django.urls import path

from forum.views import pages, steps

app_name = "forum"

urlpatterns = [
    path("crisis/", pages.crisis, name="crisis"),
    path("steps/", steps.step_list, name="step_list"),
    path("steps/<int:number>/", steps.step_detail, name="step"),
]
