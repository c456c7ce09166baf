"""The login and callback URLs of the brand's providers, the paths and names allauth
gives them (/accounts/oidc/<id>/login/ and .../callback/), served by accounts.oidc.views.
config.urls mounts these before allauth's URLs, so they are the ones that answer."""

from allauth.socialaccount import app_settings
from django.urls import path

from accounts.oidc import views

PREFIX = f"accounts/{app_settings.OPENID_CONNECT_URL_PREFIX}/<str:provider_id>"

urlpatterns = [
    path(f"{PREFIX}/login/", views.login, name="openid_connect_login"),
    path(f"{PREFIX}/login/callback/", views.callback, name="openid_connect_callback"),
]
