from django.urls import path

from forum.views import (
    boards,
    chat,
    moderation,
    notifications,
    pages,
    posts,
    search,
    steps,
    topics,
)

app_name = "forum"

urlpatterns = [
    path("crisis/", pages.crisis, name="crisis"),
    # Moderation and member safety (issue 6)
    path("report/<str:kind>/<int:target_id>/", moderation.report, name="report"),
    path("moderation/", moderation.queue, name="moderation_queue"),
    path(
        "moderation/item/<str:kind>/<int:target_id>/",
        moderation.item,
        name="moderation_item",
    ),
    path(
        "moderation/item/<str:kind>/<int:target_id>/<str:action>/",
        moderation.item_action,
        name="moderation_item_action",
    ),
    path("moderation/member/<int:member_id>/", moderation.member, name="moderation_member"),
    path(
        "moderation/member/<int:member_id>/<str:action>/",
        moderation.member_action,
        name="moderation_member_action",
    ),
    path("moderation/log/", moderation.log, name="moderation_log"),
    path("moderation/appeals/", moderation.appeals, name="moderation_appeals"),
    path(
        "moderation/appeals/<int:appeal_id>/<str:decision>/",
        moderation.appeal_decide,
        name="moderation_appeal_decide",
    ),
    path("standing/", moderation.standing, name="standing"),
    path("check-ins/<int:check_in_id>/", moderation.check_in, name="check_in"),
    path("standing/appeal/<int:entry_id>/", moderation.appeal, name="appeal"),
    path("moderation/words/", moderation.watched_words, name="moderation_words"),
    path(
        "moderation/words/<int:word_id>/delete/",
        moderation.watched_word_delete,
        name="moderation_word_delete",
    ),
    path(
        "moderation/crisis-phrases/",
        moderation.crisis_phrases,
        name="moderation_crisis_phrases",
    ),
    path(
        "moderation/crisis-phrases/<int:phrase_id>/delete/",
        moderation.crisis_phrase_delete,
        name="moderation_crisis_phrase_delete",
    ),
    path("steps/", steps.step_list, name="step_list"),
    path("steps/<int:number>/", steps.step_detail, name="step"),
    path("boards/", boards.board_list, name="board_list"),
    path("boards/<slug:slug>/", boards.board_detail, name="board"),
    path("boards/<slug:slug>/new/", boards.new_topic, name="new_topic"),
    path("t/<int:topic_id>/", topics.topic_detail, name="topic"),
    path("t/<int:topic_id>/unread/", topics.topic_unread, name="topic_unread"),
    path("t/<int:topic_id>/reply/", topics.reply, name="reply"),
    path("p/<int:post_id>/", posts.post_redirect, name="post"),
    path("p/<int:post_id>/edit/", posts.edit, name="post_edit"),
    path("p/<int:post_id>/delete/", posts.delete, name="post_delete"),
    path("p/<int:post_id>/react/", posts.react, name="post_react"),
    path("p/<int:post_id>/revisions/", posts.revisions, name="post_revisions"),
    path("search/", search.search, name="search"),
    path("chat/", chat.room_list, name="chat_list"),
    path("chat/new/", chat.room_create, name="chat_create"),
    path("chat/<slug:slug>/", chat.room_detail, name="chat_room"),
    path("chat/<slug:slug>/send/", chat.room_send, name="chat_send"),
    path("chat/<slug:slug>/history/", chat.room_history, name="chat_history"),
    path(
        "chat/<slug:slug>/moderate/<str:action>/",
        moderation.room_control,
        name="chat_room_control",
    ),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", notifications.read, name="notification_read"),
    path("notifications/read-all/", notifications.read_all, name="notifications_read_all"),
    path("me/notifications/", notifications.preferences, name="notification_preferences"),
]
