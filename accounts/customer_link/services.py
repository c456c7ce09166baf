"""The customer account a member's points are credited to: linking a customer number,
verifying it with a code sent through the billing gateway (or by staff), or taking it
from the brand's identity provider at login (accounts.oidc), changing and revoking it.
Pages and the API call these; the settlement reads verified_links().

A member has at most one current (pending or verified) link; older ones stay as revoked
history. Codes are stored as an HMAC only, live 30 minutes and allow 5 wrong tries; a
member gets at most one code a minute and 5 a day, however often they change the number.
"""

import logging
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import roles
from accounts.models import CustomerAccountLink, CustomerLinkIssue, User
from billing.gateway import GatewayError, get_gateway
from billing.gdpr import local_records_erase
from core.errors import Conflict
from privacy.rules import require_required_consents

log = logging.getLogger(__name__)

Link = CustomerAccountLink
State = CustomerAccountLink.State
Method = CustomerAccountLink.Method
Issue = CustomerLinkIssue.Kind
CURRENT = (State.PENDING, State.VERIFIED)

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=30)
MAX_ATTEMPTS = 5
RESEND_INTERVAL = timedelta(minutes=1)
SEND_WINDOW = timedelta(days=1)
MAX_SENDS_PER_WINDOW = 5


class CodeNotSent(Exception):
    """The link is saved, but the billing gateway could not send its code."""

    def __init__(self, link: CustomerAccountLink):
        self.link = link
        self.message = _(
            "Your customer number is saved, but we could not send the code right now. "
            "Please ask for a new code in a minute."
        )
        super().__init__(self.message)


class TooManyCodes(Exception):
    """Another code now would break the rate limit; `retry_after` is in seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


# --- Selectors -------------------------------------------------------------------------


def current_link_for(user) -> CustomerAccountLink | None:
    """The member's pending or verified link."""
    return Link.objects.filter(user=user, state__in=CURRENT).first()


def verified_link_for(user) -> CustomerAccountLink | None:
    return Link.objects.filter(user=user, state=State.VERIFIED).first()


def verified_links() -> QuerySet[CustomerAccountLink]:
    """Every verified link (one per member at most), with its member."""
    return Link.objects.filter(state=State.VERIFIED).select_related("user")


# --- Helpers ---------------------------------------------------------------------------


def normalise(customer_number: str) -> str:
    """Without spaces, upper case: " ab 123 456 " -> "AB123456"."""
    return "".join(customer_number.split()).upper()


def _validate(number: str) -> None:
    max_length = cast(int, Link._meta.get_field("customer_number").max_length)
    if len(number) > max_length or not re.fullmatch(settings.CUSTOMER_NUMBER_PATTERN, number):
        raise ValidationError(
            {
                "customer_number": _(
                    "This is not a valid customer number. You find yours on your bill."
                )
            }
        )


def _code_hash(link: CustomerAccountLink, code: str) -> str:
    value = f"{link.user_id}:{link.customer_number}:{code}"
    return salted_hmac("accounts.customer_link.code", value, algorithm="sha256").hexdigest()


def _lock_member(user) -> None:
    """Serialises a member's link changes and code sends (the rate limit reads, then writes)."""
    User.objects.select_for_update(no_key=True).only("pk").get(pk=user.pk)


def _send_window(*, user_id: int, now: datetime) -> tuple[datetime, int]:
    """(window start, codes sent in it) after one more send; raises TooManyCodes. Counts
    from the member's latest link, which carries the count over from the one before."""
    latest = Link.objects.filter(user_id=user_id).order_by("-created_at", "-pk").first()
    if latest is None:
        return now, 1
    if latest.code_sent_at and now < latest.code_sent_at + RESEND_INTERVAL:
        wait = latest.code_sent_at + RESEND_INTERVAL - now
        raise TooManyCodes(
            _("Please wait a minute before asking for another code."),
            retry_after=int(wait.total_seconds()) + 1,
        )
    start = latest.send_window_start
    if start is None or now >= start + SEND_WINDOW:
        return now, 1
    if latest.send_count >= MAX_SENDS_PER_WINDOW:
        raise TooManyCodes(
            _(
                "You have asked for too many codes today. Please try again tomorrow, or ask "
                "our support team to confirm your customer number."
            ),
            retry_after=int((start + SEND_WINDOW - now).total_seconds()) + 1,
        )
    return start, latest.send_count + 1


def _issue_code(link: CustomerAccountLink, *, now: datetime) -> str:
    """Gives the (unsaved) link a new code, replacing any earlier one; returns the code."""
    link.send_window_start, link.send_count = _send_window(user_id=link.user_id, now=now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    link.code_hash = _code_hash(link, code)
    link.code_expires_at = now + CODE_LIFETIME
    link.attempts = 0
    link.code_sent_at = now
    return code


def _send(link: CustomerAccountLink, code: str) -> None:
    """Outside any transaction: the row is written whatever the gateway does."""
    try:
        get_gateway().send_verification_code(
            customer_number=link.customer_number,
            code=code,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
    except GatewayError as error:
        log.warning("customer link %s: code not sent: %s", link.pk, error)
        raise CodeNotSent(link) from error


def _revoke(link: CustomerAccountLink, *, now: datetime) -> None:
    link.state = State.REVOKED
    link.revoked_at = now
    link.code_hash = ""
    link.code_expires_at = None
    link.save(update_fields=["state", "revoked_at", "code_hash", "code_expires_at"])


def _mark_verified(link: CustomerAccountLink, *, method: str, by: User | None) -> None:
    """Raises ValidationError if another member's link to the number is verified."""
    link.state = State.VERIFIED
    link.method = method
    link.verified_by = by
    link.verified_at = timezone.now()
    link.code_hash = ""
    link.code_expires_at = None
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise ValidationError(
            {"customer_number": _("This customer number is linked to another member.")}
        ) from None


# --- Services --------------------------------------------------------------------------


def customer_link_start(*, user: User, customer_number: str) -> CustomerAccountLink:
    """Links the number (pending) and sends it a code. A different number revokes the
    current link; the pending number again just sends a new code. Locks the member's row.
    Raises ValidationError, Conflict (already verified), TooManyCodes, and CodeNotSent
    after the link is saved."""
    require_required_consents(user)
    number = normalise(customer_number)
    _validate(number)
    with transaction.atomic():
        _lock_member(user)
        current = current_link_for(user)
        if current is not None and current.customer_number == number:
            if current.state == State.VERIFIED:
                raise Conflict(_("This customer number is already linked to your account."))
            link = current
        else:
            if Link.objects.filter(customer_number=number, state=State.VERIFIED).exists():
                raise ValidationError(
                    {"customer_number": _("This customer number is linked to another member.")}
                )
            link = Link(user=user, customer_number=number)
        now = timezone.now()
        code = _issue_code(link, now=now)
        if current is not None and current is not link:
            _revoke(current, now=now)
        link.save()
    _send(link, code)
    return link


def customer_link_resend(*, user: User) -> CustomerAccountLink:
    """A new code for the pending link; the earlier code stops working. Locks the member's
    row. Raises Conflict (nothing pending), TooManyCodes, CodeNotSent."""
    with transaction.atomic():
        _lock_member(user)
        link = Link.objects.filter(user=user, state=State.PENDING).first()
        if link is None:
            raise Conflict(_("You have no customer number waiting for a code."))
        code = _issue_code(link, now=timezone.now())
        link.save()
    _send(link, code)
    return link


def _code_problem(link: CustomerAccountLink, code: str) -> tuple[str, bool]:
    """("", False) for the right code, else (message, whether it counts as a wrong try)."""
    if link.attempts >= MAX_ATTEMPTS:
        return _("Too many wrong codes. Please ask for a new code."), False
    if not link.code_hash or timezone.now() >= cast(datetime, link.code_expires_at):
        return _("This code has expired. Please ask for a new code."), False
    if constant_time_compare(_code_hash(link, code), link.code_hash):
        return "", False
    left = MAX_ATTEMPTS - link.attempts - 1
    if not left:
        return _(
            "This code is not correct, and that was the last try. Please ask for a new code."
        ), True
    return ngettext(
        "This code is not correct. You can try once more.",
        "This code is not correct. You can try %(count)d more times.",
        left,
    ) % {"count": left}, True


def customer_link_verify(*, user: User, code: str) -> CustomerAccountLink:
    """Verifies the pending link with its code. Locks the link, so of two concurrent right
    codes one verifies and the other finds nothing pending (Conflict). A wrong code is
    counted (committed) before the ValidationError is raised."""
    require_required_consents(user)
    code = "".join(code.split())
    if not re.fullmatch(rf"\d{{{CODE_DIGITS}}}", code):
        raise ValidationError({"code": _("Enter the 6-digit code we sent you.")})
    with transaction.atomic():
        link = Link.objects.select_for_update().filter(user=user, state=State.PENDING).first()
        if link is None:
            raise Conflict(_("You have no customer number waiting for a code."))
        problem, counts = _code_problem(link, code)
        if not problem:
            _mark_verified(link, method=Method.CODE, by=None)
        elif counts:
            link.attempts += 1
            link.save(update_fields=["attempts"])
    if problem:
        raise ValidationError({"code": problem})
    return link


def customer_link_confirm_by_staff(*, link: CustomerAccountLink, by: User) -> CustomerAccountLink:
    """Support leads, community managers and admins confirm a pending link (after checking
    the customer's identity their own way), never their own. Locks the link."""
    if not roles.is_official(by):
        raise PermissionDenied(
            _("Only support leads and community managers can confirm customer numbers.")
        )
    if link.user_id == by.pk:
        raise PermissionDenied(_("You cannot confirm your own customer number."))
    with transaction.atomic():
        link = Link.objects.select_for_update().get(pk=link.pk)
        if link.state != State.PENDING:
            raise Conflict(_("Only a customer number waiting for its code can be confirmed."))
        _mark_verified(link, method=Method.STAFF, by=by)
    log.info("customer link %s confirmed by staff member %s", link.pk, by.pk)
    return link


def customer_link_from_provider(
    *, user: User, customer_number: str, provider: str
) -> CustomerAccountLink | None:
    """Links the number the brand's identity provider sent at login, verified at once: the
    provider vouches for it, so no code is sent. A pending link to it is verified; a
    pending link to another number is revoked. Never links a number verified for another
    member, nor replaces a different verified number, nor an invalid one: each of those
    links nothing, is logged and recorded for staff (CustomerLinkIssue), and returns None.
    An empty `customer_number` (the claim was not sent) changes nothing, and is recorded
    only if the member's link came from a provider. Idempotent; locks the member's row."""
    number = normalise(customer_number)
    if not number:
        if Link.objects.filter(user=user, state=State.VERIFIED, method=Method.PROVIDER).exists():
            _issue_record(user=user, provider=provider, kind=Issue.MISSING, number="")
        return None
    try:
        _validate(number)
    except ValidationError:
        _issue_record(user=user, provider=provider, kind=Issue.INVALID, number=number)
        return None
    require_required_consents(user)
    try:
        with transaction.atomic():
            _lock_member(user)
            link, problem = _provider_link(user=user, number=number)
    except ValidationError:  # verified for another member meanwhile (_mark_verified)
        link, problem = None, Issue.TAKEN
    if problem:
        _issue_record(user=user, provider=provider, kind=problem, number=number)
    elif link is not None:
        log.info("customer link %s verified by identity provider %s", link.pk, provider)
    return link


def _provider_link(*, user: User, number: str) -> tuple[CustomerAccountLink | None, str]:
    """(the verified link, "") or (None, the problem). Within the caller's transaction."""
    current = current_link_for(user)
    if current is not None and current.state == State.VERIFIED:
        return (current, "") if current.customer_number == number else (None, Issue.CHANGED)
    if Link.objects.filter(customer_number=number, state=State.VERIFIED).exists():
        return None, Issue.TAKEN
    if current is not None and current.customer_number == number:
        link = current
    else:
        if current is not None:
            _revoke(current, now=timezone.now())
        link = Link(user=user, customer_number=number)
    _mark_verified(link, method=Method.PROVIDER, by=None)
    return link, ""


def _issue_record(*, user: User, provider: str, kind: str, number: str) -> None:
    """One open row per member, provider, kind and number; seen again, it is counted.
    Logged without the number (the row has it)."""
    key = {"user": user, "provider": provider, "kind": kind, "customer_number": number[:40]}
    now = timezone.now()
    with transaction.atomic():
        open_issue = CustomerLinkIssue.objects.filter(**key, resolved_at=None)
        if not open_issue.update(last_seen_at=now, times=F("times") + 1):
            try:
                with transaction.atomic():
                    CustomerLinkIssue.objects.create(**key, first_seen_at=now, last_seen_at=now)
            except IntegrityError:  # the same login twice at once: the other one recorded it
                pass
    log.warning(
        "customer number from identity provider %s not linked to member %s: %s "
        "(customer-number problem %s in the admin)",
        provider,
        user.pk,
        kind,
        open_issue.values_list("pk", flat=True).first(),
    )


def customer_link_issues_resolve(*, issues: QuerySet[CustomerLinkIssue], by: User) -> int:
    """Staff mark problems as looked into; a problem seen again afterwards is a new row.
    Returns how many were open."""
    if not roles.is_official(by):
        raise PermissionDenied(
            _("Only support leads and community managers can resolve these problems.")
        )
    count = issues.filter(resolved_at=None).update(resolved_at=timezone.now())
    log.info("%s customer-number problems resolved by staff member %s", count, by.pk)
    return count


def customer_link_revoke(*, user: User) -> bool:
    """Ends the current link (kept as history); no more credits go there. Returns whether
    there was one."""
    with transaction.atomic():
        link = Link.objects.select_for_update().filter(user=user, state__in=CURRENT).first()
        if link is None:
            return False
        _revoke(link, now=timezone.now())
    return True


# --- Privacy (registered for export and erasure by accounts.gdpr) ---------------------------


def customer_links_export(user) -> Iterable[dict]:
    """Every link the member made, oldest first, without code hashes."""
    for link in Link.objects.filter(user=user).order_by("created_at", "pk").iterator():
        yield {
            "customer_number": link.customer_number,
            "state": link.state,
            "created_at": link.created_at,
            "code_sent_at": link.code_sent_at,
            "verified_at": link.verified_at,
            "verified_by": link.method if link.verified_at else None,
            "revoked_at": link.revoked_at,
        }


def customer_link_issues_export(user) -> Iterable[dict]:
    """The numbers an identity provider sent that were not linked, oldest first."""
    issues = CustomerLinkIssue.objects.filter(user=user).order_by("first_seen_at", "pk")
    for issue in issues.iterator():
        yield {
            "provider": issue.provider,
            "problem": issue.kind,
            "customer_number": issue.customer_number,
            "first_seen_at": issue.first_seen_at,
            "last_seen_at": issue.last_seen_at,
            "times": issue.times,
            "resolved_at": issue.resolved_at,
        }


def customer_links_erase(user) -> None:
    """Deletes the member's links, and what the local gateway recorded for their numbers
    (messages deleted, credits pseudonymised), unless another member links the number too:
    then those records are also that member's."""
    links = Link.objects.filter(user=user)
    numbers = set(links.values_list("customer_number", flat=True))
    shared = set(
        Link.objects.filter(customer_number__in=numbers)
        .exclude(user=user)
        .values_list("customer_number", flat=True)
    )
    links.delete()
    local_records_erase(customer_numbers=numbers - shared)
