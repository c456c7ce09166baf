from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("<int:pk>/", views.profile, name="profile"),
    path("me/settings/", views.member_settings, name="settings"),
    path("me/api-token/", views.api_token, name="api_token"),
]
