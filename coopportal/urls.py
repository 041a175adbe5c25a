from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from coopportal import accounts
from coopportal.health import healthz
from notifications import views as notification_views

# The pages of a refused or missing request, in the app's layout (coopportal/errors.py).
handler400 = "coopportal.errors.bad_request"
handler403 = "coopportal.errors.permission_denied"
handler404 = "coopportal.errors.page_not_found"
handler500 = "coopportal.errors.server_error"

admin.site.site_header = "CoopPortal"
admin.site.site_title = "CoopPortal"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Django's language switch, which also keeps a signed-in user's choice for their e-mails.
    path("i18n/setlang/", notification_views.set_language, name="set_language"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Every signed-in user changes their own password; a forgotten one is reset through a mailed link.
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("", include("agreements.urls")),
    path("", include("reporting.urls")),
    path("", include("reporting.document_urls")),
    path("", include("meetings.urls")),
    path("", include("notifications.urls")),
]
# Uploads are never served by path, not even under DEBUG: evidence and PDFs go out only through the
# views that check who asks (reporting.views.evidence_download, the document views).
