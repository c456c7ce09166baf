"""A "solved for me too" mark or a contact-page "this solved it" is money in the savings
figure, so it counts only with proof that a person caused it (docs/insights.md):

1. A page view. An anonymous signal carries a token the page issued: signed, naming the
   question and the kind of signal, bound to the visitor (a keyed hash of their address
   and browser under the day's salt, privacy.visitors), at least MIN_SECONDS old (read
   first, then clicked) and at most MAX_SECONDS. Members are accounts and need none.
2. Once per person and question: the Event and SolvedToo constraints, on the member or
   on that visitor hash.
3. Few per network: per day, at most PER_NETWORK_AND_QUESTION anonymous signals for one
   question and PER_NETWORK in all from one network (an IPv4 /24, an IPv6 /48), and
   PER_PERSON from one member or one visitor. The counters are keyed hashes under the
   day's salt, deleted after two days; no address is stored.

What is refused is counted per day, kind and reason (RefusedSignal), nothing more, and
shown on the dashboard. PEERDESK["RATE_LIMITS"] = False switches the counting limits off
(tests); the page-view proof always applies."""

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as day_start

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from core.errors import RateLimited
from core.net import client_ip, network_of
from insights.models import RefusalReason, RefusedSignal, SignalCount
from privacy.visitors import visitor_hash

_SALT = "insights.proof"


@dataclass(frozen=True)
class Visitor:
    """An anonymous person whose page view is proven: their hash for the day, and the
    keyed hash of their network for the day ("" when it cannot be told)."""

    hash: str
    network: str


def _limit(name: str) -> int:
    return settings.PEERDESK[name]


def _person(request: HttpRequest, day=None) -> str:
    """Address and browser: no cookie needed, so a script cannot shed its identity by
    dropping cookies (only by changing networks, which the network limits count)."""
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:512]
    return visitor_hash(f"{client_ip(request)}\n{user_agent}", day=day)


def network_of_request(request: HttpRequest) -> str:
    """The keyed hash of the client's network for the day. A request whose address cannot
    be told (a unix socket without a proxy header) shares one "unknown" network: it is
    limited like any other, never exempt."""
    return visitor_hash(f"network:{network_of(client_ip(request)) or 'unknown'}")


def proof_for(request: HttpRequest, *, question_id: int, kind: str) -> str:
    """The token a page gives the visitor for one signal about one question."""
    payload = {"q": question_id, "k": kind, "v": _person(request)[:32], "t": int(time.time())}
    return signing.dumps(payload, salt=_SALT, compress=True)


def proof_for_visitor(request: HttpRequest, *, question_id: int, kind: str) -> str:
    """The proof for a visitor's page; members need none ("")."""
    if request.user.is_authenticated:
        return ""
    return proof_for(request, question_id=question_id, kind=kind)


def anonymous_visitor(
    request: HttpRequest, user, *, proof: str, question_id: int, kind: str
) -> Visitor | None:
    """None for a member (`user`: the API's, who may come with a token alone), who counts
    as themselves; for an anonymous visitor, the one their proof proves (visitor_from)."""
    if user.is_authenticated:
        return None
    return visitor_from(request, proof=proof, question_id=question_id, kind=kind)


def visitor_from(request: HttpRequest, *, proof: str, question_id: int, kind: str) -> Visitor:
    """The proven visitor, or ValidationError (a clear 400) with the refusal counted."""
    try:
        data = signing.loads(proof or "", salt=_SALT, max_age=_limit("SIGNAL_PROOF_MAX_SECONDS"))
    except signing.SignatureExpired:
        _refuse(kind, RefusalReason.EXPIRED, _("This page is too old. Please reload it."))
    except signing.BadSignature:
        _refuse(kind, RefusalReason.NO_PROOF, _("Please open the question's page first."))
    if not isinstance(data, dict) or (data.get("q"), data.get("k")) != (question_id, kind):
        _refuse(kind, RefusalReason.NO_PROOF, _("Please open the question's page first."))
    issued = int(data.get("t", 0))
    # The visitor of the day the page was viewed: a page viewed before midnight and used
    # after it is still the same person (replaying it cannot count twice).
    person = _person(request, day=timezone.localdate(_at(issued)))
    if data.get("v") != person[:32]:
        _refuse(kind, RefusalReason.OTHER_VISITOR, _("Please reload the page and try again."))
    if time.time() - issued < _limit("SIGNAL_PROOF_MIN_SECONDS"):
        _refuse(kind, RefusalReason.TOO_FAST, _("Please read the answer first."))
    return Visitor(hash=person, network=network_of_request(request))


def _at(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=timezone.get_current_timezone())


def visitor_allow(visitor: Visitor, *, question_id: int, kind: str) -> None:
    """Counts one more anonymous signal of the visitor, of their network, and of their
    network for this question today; raises RateLimited past any limit (refused attempts
    count too: a flood stays refused)."""
    _allow(f"person:{visitor.hash}", network=visitor.network, question_id=question_id, kind=kind)


def member_allow(user, *, network: str, question_id: int, kind: str) -> None:
    """The same limits for a member's signal, so that a script with a few accounts on one
    network adds no more than anonymous visitors on it. `network` is "" outside a request
    (commands)."""
    _allow(f"member:{user.pk}", network=network, question_id=question_id, kind=kind)


def _allow(person: str, *, network: str, question_id: int, kind: str) -> None:
    if not settings.PEERDESK["RATE_LIMITS"]:
        return
    counts = [(person, "SOLVED_MARKS_PER_DAY", RefusalReason.PERSON_FLOOD)]
    if network:
        counts += [
            (
                f"network:{network}:{question_id}",
                "SIGNALS_PER_NETWORK_AND_QUESTION",
                RefusalReason.QUESTION_FLOOD,
            ),
            (f"network:{network}", "SIGNALS_PER_NETWORK", RefusalReason.NETWORK_FLOOD),
        ]
    for key, limit, reason in counts:
        if _hit(key) > _limit(limit):
            _refuse_flood(kind, reason)


def _hit(key: str) -> int:
    """One more for `key` today, atomically: the UPDATE holds the row until commit, so
    concurrent hits queue and each sees its own count."""
    today = timezone.localdate()
    key = hashlib.sha256(key.encode()).hexdigest()  # its parts are keyed hashes already
    with transaction.atomic():
        SignalCount.objects.bulk_create([SignalCount(day=today, key=key)], ignore_conflicts=True)
        SignalCount.objects.filter(day=today, key=key).update(count=F("count") + 1)
        return SignalCount.objects.get(day=today, key=key).count


def _record(kind: str, reason: str) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        RefusedSignal.objects.bulk_create(
            [RefusedSignal(day=today, kind=kind, reason=reason)], ignore_conflicts=True
        )
        RefusedSignal.objects.filter(day=today, kind=kind, reason=reason).update(
            count=F("count") + 1
        )


def _refuse(kind: str, reason: str, message: str):
    _record(kind, reason)
    raise ValidationError(message, code=reason)


def _refuse_flood(kind: str, reason: str):
    _record(kind, reason)
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), day_start.min))
    raise RateLimited(
        _("Too many of these today. Please try again in %(wait)s.")
        % {"wait": timeuntil(midnight, now=now, depth=1)},
        retry_after=max(1, math.ceil((midnight - now).total_seconds())),
    )


def signal_counts_expire(*, today=None) -> int:
    """Deletes the counters of days before yesterday; returns how many."""
    today = today or timezone.localdate()
    deleted, _rows = SignalCount.objects.filter(day__lt=today - timedelta(days=1)).delete()
    return deleted
