"""Under /privacy/erasure/, included before privacy.urls (whose <slug:key>/ would match)."""

from django.urls import path

from privacy import erasure_views

app_name = "privacy_erasure"
urlpatterns = [
    path("", erasure_views.erasure_page, name="request"),
    path("cancel/<str:token>/", erasure_views.erasure_cancel, name="cancel"),
]
