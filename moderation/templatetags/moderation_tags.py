"""Tags for the flag link on posts and profiles and the thread tools on a question page."""

from django import template

from accounts import roles
from community.models import Forum, Question
from moderation import selectors
from moderation.flags.services import owner_id

register = template.Library()


def _flagged(context, user, target, kind: str) -> set:
    """The member's flags among what the page shows, read once per request: for a
    thread, every flag in it (one query for all its posts); otherwise per item."""
    question = context.get("question")
    in_thread = kind != "profile" and isinstance(question, Question)
    scope = ("thread", question.pk) if in_thread else (kind, target.pk)
    request = context.get("request")
    memo = getattr(request, "_moderation_flagged", None)
    if memo is None:
        memo = {}
        if request is not None:
            request._moderation_flagged = memo
    if scope not in memo:
        if in_thread:
            memo[scope] = selectors.flagged_in_thread(user, question)
        else:
            memo[scope] = selectors.flagged_by(user, [target])
    return memo[scope]


@register.simple_tag(takes_context=True)
def flag_state(context, target) -> dict:
    """{"show": whether to offer flagging, "kind", "flagged": the member did already}."""
    user = context.get("user")
    if target is None or user is None or not user.is_authenticated:
        return {"show": False}
    if owner_id(target) == user.pk:
        return {"show": False}
    kind = selectors.target_kind(target)
    flagged = (kind, target.pk) in _flagged(context, user, target, kind)
    return {"show": True, "kind": kind, "flagged": flagged}


@register.filter
def can_moderate(user) -> bool:
    return roles.is_moderator(user)


@register.simple_tag
def move_forums():
    return Forum.objects.only("pk", "name")
