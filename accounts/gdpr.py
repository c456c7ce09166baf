"""What accounts holds about a member, for export (Art. 15, 20) and erasure (Art. 17);
registered with core.gdpr. Accounts owns the user model and the login (allauth, the
admin, sessions), so it also declares their libraries' models.

Export: the profile (with the API tokens' names, never their keys), the customer numbers
linked (and those an identity provider sent that were not linked), the social logins,
the avatar files. Erasure: customer links (and what the local gateway recorded for their
numbers), the admin history's name of the member, sessions, avatar files and email
addresses; the member's row itself is deleted last by the erasure, and with it the API
tokens, social logins, customer-number problems and MFA authenticators (CASCADE)."""

from collections.abc import Callable, Iterator
from functools import partial
from importlib import import_module
from typing import IO

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts import avatars
from accounts.customer_link import services as customer_link
from accounts.models import ApiToken, CustomerAccountLink, CustomerLinkIssue, User
from accounts.services import avatar_remove
from core import gdpr

# Export: the profile first, the picture files last (see core.gdpr for the whole order).
PROFILE_ORDER, CUSTOMER_ACCOUNTS_ORDER, AVATAR_ORDER = 0, 30, 90
# Erasure: the customer links with the other apps' records, the login data at the end.
CUSTOMER_LINKS_ERASE_ORDER, LOGIN_ERASE_ORDER = 40, 70


# Export ------------------------------------------------------------------------------


@gdpr.exporter(
    "profile.json",
    gettext_lazy(
        "Your account: email, display name, bio, location, who may see each of "
        "them, when you joined, your API tokens (their names, scopes and dates, "
        "never the keys) and the names of your picture files."
    ),
    order=PROFILE_ORDER,
    models=[User, ApiToken],
    shape=gdpr.Shape.DOCUMENT,
)
def profile(user) -> dict:
    tokens = user.api_tokens.order_by("created_at").values(
        "name", "prefix", "scopes", "created_at", "expires_at", "last_used_at", "revoked_at"
    )
    return {
        "email": user.email,
        "display_name": user.display_name,
        "bio": user.bio,
        "bio_visibility": user.bio_visibility,
        "location": user.location,
        "location_visibility": user.location_visibility,
        "language": user.language,
        "time_zone": user.time_zone,
        "avatar_visibility": user.avatar_visibility,
        "listing_visibility": user.listing_visibility,
        "date_joined": user.date_joined,
        "api_tokens": list(tokens),
        "avatar_files": sorted(
            f"avatar/{_avatar_entry(size, name)}" for size, name in user.avatar.items()
        ),
    }


gdpr.exporter(
    "customer_accounts.json",
    gettext_lazy("The customer numbers you linked, when and how each was verified or removed."),
    order=CUSTOMER_ACCOUNTS_ORDER,
    models=[CustomerAccountLink],
)(customer_link.customer_links_export)


gdpr.exporter(
    "customer_number_problems.json",
    gettext_lazy(
        "Customer numbers your customer account's login sent us that we did not link, "
        "and why (for example, another member had linked it)."
    ),
    order=CUSTOMER_ACCOUNTS_ORDER,
    models=[CustomerLinkIssue],
)(customer_link.customer_link_issues_export)


@gdpr.exporter(
    "social_logins.json",
    gettext_lazy(
        "The logins you connected (Google, Facebook, your customer account): the provider, "
        "its id for you and what it sent us that we keep (your name, email address and "
        "customer number)."
    ),
    order=PROFILE_ORDER,  # after profile.json, registered first
    models=[SocialAccount],
)
def social_logins(user) -> Iterator[dict]:
    for account in SocialAccount.objects.filter(user=user).order_by("date_joined", "pk"):
        yield {
            "provider": account.provider,
            "uid": account.uid,
            "connected_at": account.date_joined,
            "last_login": account.last_login,
            "data": account.extra_data,
        }


def _avatar_entry(size: str, name: str) -> str:
    suffix = name.rsplit(".", 1)[-1] if "." in name else "img"
    return f"{size}.{suffix}"


@gdpr.exporter(
    "avatar/",
    gettext_lazy("Your profile picture, in each size we keep (if you uploaded one)."),
    order=AVATAR_ORDER,
    shape=gdpr.Shape.FILES,
)
def avatar_files(user) -> Iterator[tuple[str, Callable[[], IO[bytes]]]]:
    for size, name in sorted(user.avatar.items()):
        if default_storage.exists(name):
            yield _avatar_entry(size, name), partial(default_storage.open, name, "rb")


gdpr.not_exported(
    "account.EmailAddress",
    reason="allauth's addresses of the member and whether each is verified. The login "
    "address is in profile.json; further addresses a member added are not exported yet.",
)
gdpr.not_exported(
    "mfa.Authenticator",
    reason="Second-factor credentials (TOTP secret, recovery codes): a copy in a file "
    "would weaken the second factor; profile.json has no secrets either.",
)
gdpr.not_exported(
    "admin.LogEntry",
    reason="Staff's record of their changes in the admin; about the member it holds only "
    "their display name (object_repr), which erasure replaces.",
)
gdpr.not_exported(
    "sessions.Session",
    reason="A login session holds the member's id and technical state, nothing they gave.",
)
gdpr.deleted_with_member(ApiToken, SocialAccount, CustomerLinkIssue, "mfa.Authenticator")


# Erasure -----------------------------------------------------------------------------


# It also erases what the local billing gateway recorded for the member's numbers
# (billing.gdpr.local_records_erase): only the links know which numbers are theirs.
gdpr.eraser(
    order=CUSTOMER_LINKS_ERASE_ORDER,
    models=[CustomerAccountLink, "billing.LocalMessage", "billing.LocalCredit"],
)(customer_link.customer_links_erase)


@gdpr.eraser(order=LOGIN_ERASE_ORDER, models=["admin.LogEntry"])
def admin_log_scrub(user) -> None:
    """Admin history about the member keeps the action, not their name. Entries the
    member made as staff go with their row (CASCADE)."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=gdpr.DELETED_MEMBER)


@gdpr.eraser(order=LOGIN_ERASE_ORDER, models=["sessions.Session"])
def sessions_erase(user) -> None:
    """Database sessions are deleted. Cache sessions cannot be enumerated; they end because
    the member no longer exists (Django drops a session whose user is gone), and the
    password is made unusable first so the session hash of any copy no longer matches."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return
    model = store.get_model_class()
    stale = [
        session.session_key
        for session in model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    model.objects.filter(session_key__in=stale).delete()


@gdpr.eraser(order=LOGIN_ERASE_ORDER)
def avatar_erase(user) -> None:
    """The files are deleted within the erasure's transaction: when the storage cannot
    be used the erasure fails, rolls back and is retried by the next sweep, so no picture
    outlives its member in a public bucket. (Deleted again after commit: a no-op.)"""
    avatars.delete(user.avatar)
    avatar_remove(user=user)


@gdpr.eraser(order=LOGIN_ERASE_ORDER, models=[EmailAddress])
def email_addresses_erase(user) -> None:
    EmailAddress.objects.filter(user=user).delete()
