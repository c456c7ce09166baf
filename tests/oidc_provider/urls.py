from django.contrib.auth import views as auth_views
from django.urls import include, path

from tests.oidc_provider.identity import Jwks

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    # Before the toolkit's own: the keys it publishes may be switched (control.py).
    path("o/.well-known/jwks.json", Jwks.as_view()),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
