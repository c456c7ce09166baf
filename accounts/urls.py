from django.urls import path

from accounts import views
from accounts.tokens import views as token_views

app_name = "accounts"
urlpatterns = [
    path("<int:pk>/", views.profile, name="profile"),
    path("me/settings/", views.member_settings, name="settings"),
    path("me/settings/profile/", views.profile_edit, name="profile_edit"),
    path("me/settings/avatar/", views.avatar_upload, name="avatar_upload"),
    path("me/settings/avatar/remove/", views.avatar_remove, name="avatar_remove"),
    path("me/tokens/", token_views.tokens, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
]
