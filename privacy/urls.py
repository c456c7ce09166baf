"""The URLs of privacy: consents under /privacy/, erasure under /privacy/erasure/, the
data export under /privacy/export/, and the member's consents, erasure and export in the
API under /api/v1/me/."""

from django.urls import include, path

from privacy import api, views
from privacy.erasure import api as erasure_api
from privacy.erasure import views as erasure_views
from privacy.export import api as export_api
from privacy.export import views as export_views

consents = [
    path("", views.privacy_settings, name="settings"),
    path("accept/", views.accept, name="accept"),
    path("texts/<slug:key>/", views.purpose_text, name="text"),
    path("<slug:key>/", views.consent_change, name="change"),
]
erasure = [
    path("", erasure_views.erasure_page, name="request"),
    path("cancel/<str:token>/", erasure_views.erasure_cancel, name="cancel"),
]
export = [
    path("", export_views.export_page, name="page"),
    path("<int:pk>/download/", export_views.export_download_start, name="download_start"),
    path("download/<str:token>/", export_views.export_download, name="download"),
]
consents_api = [
    path("consents/", api.ConsentListView.as_view(), name="consents"),
    path("consents/<str:purpose>/", api.ConsentDetailView.as_view(), name="consent"),
]

urlpatterns = [
    path("api/v1/me/erasure/", erasure_api.ErasureView.as_view(), name="api-erasure"),
    path("api/v1/me/export/", export_api.ExportRequestView.as_view(), name="api-export"),
    path("api/v1/me/", include((consents_api, "privacy_api"))),
    # Before the consents, whose /privacy/<key>/ would match (and take POSTs).
    path("privacy/erasure/", include((erasure, "privacy_erasure"))),
    path("privacy/export/", include((export, "privacy_export"))),
    path("privacy/", include((consents, "privacy"))),
]
