from urllib.parse import urlsplit

from allauth.account.decorators import secure_admin_login
from allauth.socialaccount.providers.facebook import views as facebook
from allauth.socialaccount.providers.google import views as google
from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from config import api, health

# Redoc (its script among our static files, drf-spectacular-sidecar) styles itself with
# inline <style> elements, runs its search in a worker made from a blob: and shows its
# maker's logo from their server: that page alone allows these three.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
api_docs = csp_update(
    {
        "style-src": ["'unsafe-inline'"],
        "worker-src": ["'self'", "blob:"],
        "img-src": [REDOC_LOGO],
    }
)(SpectacularRedocView.as_view(url_name="api-schema", template_name="api/docs.html"))


def _social_login(provider: str, views, adapter) -> URLPattern:
    """allauth's login page of a provider: its form posts to us and we redirect to the
    provider, so form-action must allow the provider's origin on this page."""
    url = urlsplit(adapter.authorize_url)
    view = csp_update({"form-action": [f"{url.scheme}://{url.netloc}"]})(views.oauth2_login)
    return path(f"accounts/{provider}/login/", view, name=f"{provider}_login")


# The admin's own login form would skip allauth: its second factor and its throttles.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    _social_login("google", google, google.GoogleOAuth2Adapter),
    _social_login("facebook", facebook, facebook.FacebookOAuth2Adapter),
    # The brand's providers: allauth's login and callback, checking the ID token's
    # signature always (accounts.oidc.views), at allauth's paths, so before them.
    path("", include("accounts.oidc.urls")),
    path("accounts/", include("allauth.urls")),
    # No CSRF token: a page for visitors holds none, so it can be cached whole
    # (core.public_cache); the worst another site can do is switch someone's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("", include("branding.urls")),
    path("", include("accounts.urls")),
    path("", include("privacy.urls")),
    path("", include("rewards.urls")),
    path("", include("moderation.urls")),
    path("", include("notifications.urls")),
    path("", include("insights.urls")),
    path("", include("webhooks.urls")),
    path("", include("widget.urls")),
    path("", include("search.urls")),
    path("", include("community.urls")),
    re_path(r"^api(?:/[\s\S]*)?$", api.api_not_found),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# JSON in the API's error format under /api/, the site's HTML pages elsewhere.
handler400 = api.bad_request
handler403 = api.permission_denied
handler404 = api.page_not_found
handler500 = api.server_error
