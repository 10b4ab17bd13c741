from django.urls import path

from accounts.views import blocking, me, mentoring, profile

app_name = "accounts"

urlpatterns = [
    path("u/<str:pseudonym>/", profile.profile, name="profile"),
    path("u/<str:pseudonym>/block/", blocking.block, name="block"),
    path("u/<str:pseudonym>/unblock/", blocking.unblock, name="unblock"),
    path("u/<str:pseudonym>/mentor-role/", mentoring.mentor_role, name="mentor_role"),
    path("me/", me.me, name="me"),
    path("me/step/", me.change_step, name="change_step"),
    path("me/theme/", me.change_theme, name="change_theme"),
    path("me/export/", me.export, name="export"),
    path("me/delete/", me.delete, name="delete"),
    path("mentoring/", mentoring.home, name="mentoring"),
    path("mentoring/profile/", mentoring.save_profile, name="mentor_profile"),
    path("mentoring/pause/", mentoring.pause, name="mentor_pause"),
    path("mentoring/ask/<str:pseudonym>/", mentoring.ask, name="mentor_ask"),
    path("mentoring/open-request/", mentoring.open_request, name="mentor_open_request"),
    path("mentoring/requests/<int:pk>/accept/", mentoring.accept, name="mentor_accept"),
    path("mentoring/requests/<int:pk>/decline/", mentoring.decline, name="mentor_decline"),
    path("mentoring/requests/<int:pk>/withdraw/", mentoring.withdraw, name="mentor_withdraw"),
    path("mentoring/<int:pk>/", mentoring.mentorship, name="mentorship"),
    path("mentoring/<int:pk>/end/", mentoring.end, name="mentorship_end"),
]
