"""The data of each event, as docs/webhooks.md documents it (schema version VERSION).

Only what the event needs, and about members only what the site shows anyway: a member
is {"id", "display_name"} (null for an erased one); never an email address, a customer
number (member.erased carries pseudonyms) or a profile field a member may hide. Every
member object sits under one of MEMBER_KEYS, which is how erasure finds it again."""

from collections.abc import Iterator
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse

from billing.gdpr import pseudonym
from rewards.settlement.selectors import euros

VERSION = 1
MEMBER_KEYS = frozenset({"author", "accepted_by", "member"})
# What a member wrote, in a post object of theirs.
TEXTS = frozenset({"title", "body"})


def url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def time(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z: "2026-11-02T09:30:00Z"."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def member(user) -> dict | None:
    return None if user is None else {"id": user.pk, "display_name": user.display_name}


def member_ids(data) -> Iterator[int]:
    """The ids of the members `data` names."""
    if isinstance(data, list):
        for item in data:
            yield from member_ids(item)
    elif isinstance(data, dict):
        for key, value in data.items():
            if key in MEMBER_KEYS and isinstance(value, dict) and value.get("id") is not None:
                yield value["id"]
            else:
                yield from member_ids(value)


def without_member(data, member_id: int):
    """`data` with every member object of `member_id` replaced by null (an erased member)."""
    if isinstance(data, list):
        return [without_member(item, member_id) for item in data]
    if isinstance(data, dict):
        return {
            key: None
            if key in MEMBER_KEYS and isinstance(value, dict) and value.get("id") == member_id
            else without_member(value, member_id)
            for key, value in data.items()
        }
    return data


def _by(post: dict, member_id: int) -> bool:
    author = post.get("author")
    return isinstance(author, dict) and author.get("id") == member_id


def without_texts_of(data, member_id: int):
    """`data` with the title and body of every post `member_id` wrote set to null."""
    if isinstance(data, list):
        return [without_texts_of(item, member_id) for item in data]
    if isinstance(data, dict):
        texts = TEXTS if _by(data, member_id) else frozenset()
        return {
            key: None if key in texts else without_texts_of(value, member_id)
            for key, value in data.items()
        }
    return data


def of_question(q) -> dict:
    return {
        "id": q.pk,
        "url": url(q.get_absolute_url()),
        "title": q.title,
        "body": q.body,
        "language": q.language,
        "forum": {"id": q.forum.pk, "slug": q.forum.slug, "name": q.forum.name},
        "tags": sorted(tag.name for tag in q.tags.all()),
        "author": member(q.author),
        "created_at": time(q.created_at),
    }


def of_answer(a) -> dict:
    return {
        "id": a.pk,
        "url": url(a.get_absolute_url()),
        "body": a.body,
        "is_official": a.is_official,
        "author": member(a.author),
        "created_at": time(a.created_at),
    }


def question_answered(a) -> dict:
    return {"question": of_question(a.question), "answer": of_answer(a)}


def question_accepted(a, *, question, by) -> dict:
    return {"question": of_question(question), "answer": of_answer(a), "accepted_by": member(by)}


def question_escalated(q, *, hours: int) -> dict:
    return {
        "question": of_question(q),
        "escalated_at": time(q.escalated_at),
        "unanswered_hours": hours,
    }


def _target(flag) -> dict:
    """What was flagged; its text is not sent (it may be the very personal data flagged)."""
    kind, target = flag.target_kind, flag.target
    if kind == "profile":
        path, author = target.get_absolute_url(), target
    elif kind == "comment":
        path, author = target.answer.get_absolute_url(), target.author
    else:
        path, author = target.get_absolute_url(), target.author
    return {"type": kind, "id": target.pk, "url": url(path), "author": member(author)}


def flag_raised(flag) -> dict:
    """Who flagged and what they wrote stay on the site: the flagger's own data."""
    return {
        "flag": {"id": flag.pk, "reason": flag.reason, "created_at": time(flag.created_at)},
        "case": {"id": flag.case_id, "url": url(reverse("moderation:case", args=[flag.case_id]))},
        "target": _target(flag),
    }


def member_erased(*, member_id: int, customer_numbers: list[str]) -> dict:
    """The member's id and the pseudonyms (billing.gdpr.pseudonym) of the customer numbers
    they had verified, under which the settlements are kept: the number itself is being
    erased, and this event must not keep it."""
    return {
        "member_id": member_id,
        "customer_number_pseudonyms": sorted({pseudonym(n) for n in customer_numbers}),
    }


def settlement(s, *, user) -> dict:
    return {
        "settlement": {
            "id": s.pk,
            "key": s.key,
            "member": member(user),
            "points": s.points,
            "amount": str(euros(s.amount_cents)),
            "currency": s.currency,
            "state": s.state,
            "attempts": s.attempts,
            "gateway_reference": s.gateway_reference,
            "error": s.last_error,
            "created_at": time(s.created_at),
            "confirmed_at": time(s.confirmed_at),
        }
    }
