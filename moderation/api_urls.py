from django.urls import path

from moderation import api

urlpatterns = [
    path("flags/", api.FlagCreateView.as_view(), name="api-flags"),
]
