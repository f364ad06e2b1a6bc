from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from acupressure import views as guide_views
from journal import views as journal_views
from journal.forms import LoginForm

urlpatterns = [
    path("", guide_views.home, name="home"),
    path("healthz", guide_views.healthz, name="healthz"),
    path("safety/", guide_views.safety, name="safety"),
    path("guides/", include("acupressure.urls")),
    path("journal/", include("journal.urls")),
    path("accounts/signup/", journal_views.signup, name="signup"),
    path("accounts/settings/", journal_views.account_settings, name="account_settings"),
    path("accounts/delete/", journal_views.delete_account, name="delete_account"),
    path("accounts/tokens/", journal_views.api_tokens, name="api_tokens"),
    path(
        "accounts/tokens/<int:pk>/revoke/",
        journal_views.api_token_revoke,
        name="api_token_revoke",
    ),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("journal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("admin/", admin.site.urls),
]

handler404 = "acupressure.views.page_not_found"
handler500 = "acupressure.views.server_error"
