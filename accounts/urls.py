from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("<int:pk>/", views.profile, name="profile"),
    path("me/settings/", views.member_settings, name="settings"),
    path("me/settings/profile/", views.profile_edit, name="profile_edit"),
    path("me/settings/avatar/", views.avatar_upload, name="avatar_upload"),
    path("me/settings/avatar/remove/", views.avatar_remove, name="avatar_remove"),
    path("me/api-token/", views.api_token, name="api_token"),
]
