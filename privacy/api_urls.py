"""Under /api/v1/me/, included before community's API (whose catch-all answers 404)."""

from django.urls import path

from privacy import api

app_name = "privacy_api"
urlpatterns = [
    path("consents/", api.ConsentListView.as_view(), name="consents"),
    path("consents/<str:purpose>/", api.ConsentDetailView.as_view(), name="consent"),
]
