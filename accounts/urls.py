from django.urls import path

from accounts.views import me, profile

app_name = "accounts"

urlpatterns = [
    path("u/<str:pseudonym>/", profile.profile, name="profile"),
    path("me/", me.me, name="me"),
    path("me/step/", me.change_step, name="change_step"),
    path("me/export/", me.export, name="export"),
    path("me/delete/", me.delete, name="delete"),
]
