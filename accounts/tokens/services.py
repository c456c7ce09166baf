"""Creating, revoking and checking personal access tokens.

A key is "pdk_" and 43 URL-safe characters (256 random bits); only its SHA-256 is
stored, which is enough for a key of that entropy (no salt or slow hash needed, as for
GitHub's tokens). The password alone never gets past a second factor: members who use
one, and all staff, create tokens only with a current code from their authenticator."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import ApiToken, User
from branding import email as branded
from core.text import clean_text

Scope = ApiToken.Scope
KEY_PREFIX = "pdk_"
KEY_PATTERN = re.compile(r"pdk_[A-Za-z0-9_-]{43}")
EXPIRY_DAYS = (7, 30, 90, 365)
ACTIVE_MAX = 20
# The password grant of POST /api/v1/auth/token/: what a script gets without the page.
LOGIN_SCOPES: list[str] = [Scope.READ, Scope.WRITE]
LOGIN_DAYS = 30
# last_used_at is written at most this often per token, not on every request.
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # shown once, never stored


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def tokens_page_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:tokens")


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def second_factor_required(user) -> bool:
    """Staff must use a second factor everywhere; a member who set one up uses it too."""
    return roles.is_staff_member(user) or has_second_factor(user)


def second_factor_missing(user) -> bool:
    """Staff without a second factor may reach nothing but its set-up (pages and API)."""
    return user.is_authenticated and roles.is_staff_member(user) and not has_second_factor(user)


def staff_token_refused(token: ApiToken) -> bool:
    """A staff member's token works only if the second factor was proven when it was made
    and is still set up."""
    user = token.user
    return roles.is_staff_member(user) and not (token.second_factor and has_second_factor(user))


def staff_second_factor_message() -> str:
    return _(
        "Staff use the API only with a second factor: set up two-factor authentication, "
        "then create a personal access token on your settings page: %(url)s"
    ) % {"url": tokens_page_url()}


def grantable_scopes(user) -> list[str]:
    scopes: list[str] = [Scope.READ, Scope.WRITE, Scope.PRIVACY]
    if user.has_perm("insights.analyse_event"):
        scopes.append(Scope.INSIGHTS)
    return scopes


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def _active() -> Q:
    return Q(revoked_at=None, expires_at__gt=timezone.now())


def _check_code(user, code: str) -> None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        raise ValidationError(
            _("Set up two-factor authentication first: staff tokens need a second factor.")
        )
    # validate_code also refuses a code used once already (replay).
    if not TOTP(authenticator).validate_code((code or "").strip()):
        raise ValidationError({"code": _("The code from your authenticator app is not correct.")})


@transaction.atomic
def token_create(
    *, user, name: str, scopes: list[str], days: int, password: str, code: str = ""
) -> NewToken:
    """Checks the password (and the second factor where one is required) before anything
    else. Locks the member's row, so concurrent requests cannot pass ACTIVE_MAX."""
    User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if not password or not user.check_password(password):
        raise ValidationError({"password": _("The password is not correct.")})
    second_factor = second_factor_required(user)
    if second_factor:
        _check_code(user, code)
    name = " ".join(clean_text(name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the program that uses it.")})
    allowed = grantable_scopes(user)
    if not scopes or not set(scopes) <= set(allowed):
        raise ValidationError({"scopes": _("Choose at least one of the scopes offered.")})
    if days not in EXPIRY_DAYS:
        raise ValidationError({"days": _("Choose one of the expiry periods offered.")})
    return _issue(user=user, name=name[:60], scopes=scopes, days=days, second_factor=second_factor)


def _issue(*, user, name: str, scopes: list[str], days: int, second_factor: bool) -> NewToken:
    if tokens_of(user).filter(_active()).count() >= ACTIVE_MAX:
        raise ValidationError(
            _("You have %(count)d active tokens: revoke one you no longer use first.")
            % {"count": ACTIVE_MAX}
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:12],
        key_hash=_hash(key),
        scopes=[scope for scope in Scope.values if scope in scopes],
        second_factor=second_factor,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    # A token made by someone who stole the password must not go unnoticed.
    transaction.on_commit(lambda: _tell_member(token), robust=True)
    return NewToken(token=token, key=key)


def _tell_member(token: ApiToken) -> None:
    user = token.user
    with translation.override(user.language):
        context = {"token": token, "user": user, "tokens_url": tokens_page_url()}
        branded.send(
            to=[user.email],
            subject_text=_("A new API token for your account"),
            text_template="accounts/emails/token_created.txt",
            context=context,
        )


@transaction.atomic
def token_login(*, user) -> NewToken:
    """The API's password grant, for accounts without a second factor only (the caller
    checked the password through allauth, so the login form's throttles count it)."""
    User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if second_factor_required(user):
        raise PermissionDenied(
            _(
                "This account uses two-factor authentication, so the password alone gets no "
                "token. Create a personal access token on your settings page: %(url)s"
            )
            % {"url": tokens_page_url()}
        )
    return _issue(
        user=user,
        name=_("API login"),
        scopes=LOGIN_SCOPES,
        days=LOGIN_DAYS,
        second_factor=False,
    )


def tokens_revoke(*, user, without_second_factor: bool = False) -> int:
    """Revokes the member's active tokens (only those made without a second factor, when
    asked); returns how many. Called when the password changes or is reset, when a second
    factor is added, and when the member asks for erasure."""
    tokens = tokens_of(user).filter(_active())
    if without_second_factor:
        tokens = tokens.filter(second_factor=False)
    return tokens.update(revoked_at=timezone.now())


def token_revoke(*, user, pk: int) -> ApiToken:
    """Idempotent; only the member's own tokens (another's is "not found")."""
    token = ApiToken.objects.get(pk=pk, user=user)
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The active token of an active member with this key, or None. Notes its use."""
    if not KEY_PATTERN.fullmatch(key):
        return None
    token = (
        ApiToken.objects.filter(_active(), key_hash=_hash(key), user__is_active=True)
        .select_related("user")
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
