from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from config import health
from privacy.erasure_api import ErasureView
from privacy.export_api import ExportRequestView

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/me/erasure/", ErasureView.as_view(), name="api-erasure"),
    path("api/v1/me/export/", ExportRequestView.as_view(), name="api-export"),
    path("api/v1/me/customer-account/", include("accounts.customer_link_api_urls")),
    path("api/v1/me/", include("privacy.api_urls")),
    path("api/v1/", include("rewards.api_urls")),
    path("api/v1/", include("moderation.api_urls")),
    path("api/v1/", include("notifications.api_urls")),
    path("api/v1/", include("insights.api_urls")),
    path("api/v1/", include("community.api.urls")),
    path("members/me/customer-account/", include("accounts.customer_link_urls")),
    path("members/", include("accounts.urls")),
    path("points/", include("rewards.urls")),
    path("bounties/", include("rewards.bounty_urls")),
    path("staff/settlements/", include("rewards.settlement_urls")),
    path("staff/fraud-review/", include("rewards.fraud_urls")),
    path("staff/moderation/log/", include("moderation.log_urls")),
    path("staff/moderation/", include("moderation.urls")),
    path("staff/escalations/", include("community.escalation_urls")),
    path("staff/insights/", include("insights.urls")),
    path("contact/", include("insights.contact_urls")),
    path("flag/", include("moderation.flag_urls")),
    path("moderation/", include("moderation.member_urls")),
    path("notifications/", include("notifications.urls")),
    path("invite/", include("notifications.invite_urls")),
    path("privacy/erasure/", include("privacy.erasure_urls")),
    path("privacy/export/", include("privacy.export_urls")),
    path("privacy/", include("privacy.urls")),
    path("", include("community.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
