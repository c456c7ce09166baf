"""Under /api/v1/me/customer-account/, included before privacy's /api/v1/me/."""

from django.urls import path

from accounts import customer_link_api as api

app_name = "customer_link_api"
urlpatterns = [
    path("", api.CustomerLinkView.as_view(), name="link"),
    path("verify/", api.CustomerLinkVerifyView.as_view(), name="verify"),
]
