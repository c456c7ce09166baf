"""Under /api/v1/, included before community's API (whose catch-all answers 404)."""

from django.urls import path

from notifications import api

app_name = "notifications_api"
urlpatterns = [
    path("notifications/", api.NotificationListView.as_view(), name="list"),
    path("notifications/read-all/", api.NotificationReadAllView.as_view(), name="read_all"),
    path("notifications/preferences/", api.PreferencesView.as_view(), name="preferences"),
    path("notifications/<int:pk>/read/", api.NotificationReadView.as_view(), name="read"),
]
