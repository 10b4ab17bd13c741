from django.urls import path

from accounts.views import blocking, journey, me, mentoring, profile, workbook

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
    # The step journey and the private workbook (issue 12)
    path("welcome/", journey.onboarding, name="onboarding"),
    path("clean-date/", journey.clean_date, name="clean_date"),
    path("check-in/", workbook.check_in, name="check_in"),
    path("steps/<int:number>/move-on/", journey.move_on, name="move_on"),
    path("steps/<int:number>/workbook/", workbook.workbook, name="workbook"),
    path("steps/<int:number>/workbook/share/", workbook.step_share_view, name="workbook_share"),
    path(
        "steps/<int:number>/workbook/<int:entry_id>/",
        workbook.entry_detail,
        name="workbook_entry",
    ),
    path(
        "steps/<int:number>/workbook/<int:entry_id>/delete/",
        workbook.entry_delete,
        name="workbook_entry_delete",
    ),
    path(
        "steps/<int:number>/workbook/<int:entry_id>/share/",
        workbook.entry_share,
        name="workbook_entry_share",
    ),
    path("mentoring/<int:pk>/workbook/", workbook.mentee_workbook, name="mentee_workbook"),
    path(
        "mentoring/<int:pk>/workbook/<int:share_id>/note/",
        workbook.share_note,
        name="workbook_share_note",
    ),
    path(
        "mentoring/<int:pk>/move/<int:request_id>/note/",
        workbook.move_note,
        name="step_move_note",
    ),
]
