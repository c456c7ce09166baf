"""Under /members/me/customer-account/, included before accounts.urls."""

from django.urls import path

from accounts import customer_link_views as views

app_name = "customer_link"
urlpatterns = [
    path("", views.customer_link_page, name="page"),
    path("verify/", views.customer_link_verify, name="verify"),
    path("resend/", views.customer_link_resend, name="resend"),
    path("revoke/", views.customer_link_revoke, name="revoke"),
]
