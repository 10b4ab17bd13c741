from django.contrib import admin
from django.urls import include, path

from accounts.views.recovery import email as recovery_email
from forum.views.pages import home

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("account/email/", recovery_email, name="account_email"),
    path("account/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("forum.urls")),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
