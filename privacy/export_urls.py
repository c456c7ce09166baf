"""Under /privacy/export/, included before privacy.urls (whose /privacy/<key>/ takes POSTs)."""

from django.urls import path

from privacy import export_views

app_name = "privacy_export"
urlpatterns = [
    path("", export_views.export_page, name="page"),
    path("<int:pk>/download/", export_views.export_download_start, name="download_start"),
    path("download/<str:token>/", export_views.export_download, name="download"),
]
