"""The URLs of accounts: the member directory, profiles, settings and tokens under
/members/, the customer account under /members/me/customer-account/, and the API's token
grant and customer account under /api/v1/."""

from django.urls import include, path

from accounts import views
from accounts.customer_link import api as customer_link_api
from accounts.customer_link import views as customer_link_views
from accounts.tokens import api as token_api
from accounts.tokens import views as token_views

members = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.profile, name="profile"),
    path("me/settings/", views.member_settings, name="settings"),
    path("me/settings/profile/", views.profile_edit, name="profile_edit"),
    path("me/settings/avatar/", views.avatar_upload, name="avatar_upload"),
    path("me/settings/avatar/remove/", views.avatar_remove, name="avatar_remove"),
    path("me/tokens/", token_views.tokens, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
]
customer_account = [
    path("", customer_link_views.customer_link_page, name="page"),
    path("verify/", customer_link_views.customer_link_verify, name="verify"),
    path("resend/", customer_link_views.customer_link_resend, name="resend"),
    path("revoke/", customer_link_views.customer_link_revoke, name="revoke"),
]
customer_account_api = [
    path("", customer_link_api.CustomerLinkView.as_view(), name="link"),
    path("verify/", customer_link_api.CustomerLinkVerifyView.as_view(), name="verify"),
]

urlpatterns = [
    path("api/v1/auth/token/", token_api.TokenView.as_view(), name="api-token"),
    path(
        "api/v1/me/customer-account/",
        include((customer_account_api, "customer_link_api")),
    ),
    path("members/me/customer-account/", include((customer_account, "customer_link"))),
    path("members/", include((members, "accounts"))),
]
