from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from acupressure import installable
from acupressure import views as guide_views
from journal import language
from journal.forms.accounts import LoginForm
from journal.forms.passwords import RecipientLanguagePasswordResetForm
from journal.views import accounts as account_views
from journal.views import passwords as password_views
from journal.views import plan as plan_views
from journal.views import push as push_views

# Addresses that are the same in every language: machines read them.
urlpatterns = [
    path("healthz", guide_views.healthz, name="healthz"),
    path("manifest.webmanifest", installable.manifest, name="manifest"),
    path("sw.js", installable.service_worker, name="service_worker"),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("api/v1/", include("journal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("admin/", admin.site.urls),
    # No log-in on this one: calendar apps cannot log in. The token in the address is the key,
    # so it lives outside /journal/ and /accounts/. token_urlsafe() uses exactly the slug
    # alphabet, so anything else is a 404 before the DB. Its text is in the owner's language.
    path("calendar/<slug:token>.ics", plan_views.calendar_feed, name="calendar_feed"),
]

# Pages people read: English at these addresses, other languages under /<code>/ (/es/guides/).
urlpatterns += i18n_patterns(
    path("", guide_views.home, name="home"),
    path("safety/", guide_views.safety, name="safety"),
    path("offline/", installable.offline_page, name="offline"),
    path("guides/", include("acupressure.urls")),
    path("journal/", include("journal.urls")),
    path("accounts/signup/", account_views.signup, name="signup"),
    path("accounts/settings/", account_views.account_settings, name="account_settings"),
    path("accounts/settings/plan/", plan_views.practice_plan, name="practice_plan"),
    path(
        "accounts/settings/calendar-feed/",
        plan_views.new_feed_address,
        name="new_feed_address",
    ),
    path("accounts/settings/push/", push_views.push_subscribe, name="push_subscribe"),
    path(
        "accounts/settings/push/unsubscribe/",
        push_views.push_unsubscribe,
        name="push_unsubscribe",
    ),
    path("accounts/settings/email/", account_views.email_change, name="email_change"),
    path("accounts/settings/email/resend/", account_views.email_resend, name="email_resend"),
    path("accounts/settings/email/cancel/", account_views.email_cancel, name="email_cancel"),
    path("accounts/settings/email/remove/", account_views.email_remove, name="email_remove"),
    path("accounts/email/confirm/<str:token>/", account_views.confirm_email, name="confirm_email"),
    path("accounts/delete/", account_views.delete_account, name="delete_account"),
    path("accounts/tokens/", account_views.api_tokens, name="api_tokens"),
    path(
        "accounts/tokens/<int:pk>/revoke/",
        account_views.api_token_revoke,
        name="api_token_revoke",
    ),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    # Django's own views, with forms that also revoke tokens and the calendar address.
    path(
        "accounts/password_change/",
        password_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        password_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=RecipientLanguagePasswordResetForm),
        name="password_reset",
    ),
    path("accounts/logout/", account_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    # No log-in: mail apps cannot log in; the token in the address is the key.
    path("reminders/unsubscribe/<str:token>/", plan_views.unsubscribe, name="unsubscribe"),
    prefix_default_language=False,
)

handler404 = "acupressure.views.page_not_found"
handler500 = "acupressure.views.server_error"
