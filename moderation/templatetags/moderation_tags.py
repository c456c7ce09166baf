"""Tags for the flag link on posts and profiles and the thread tools on a question page."""

from django import template

from accounts import roles
from community.models import Forum, Question
from moderation import selectors
from moderation.flags.services import owner_id

register = template.Library()


@register.simple_tag(takes_context=True)
def flag_state(context, target) -> dict:
    """{"show": whether to offer flagging, "kind", "flagged": the member did already}."""
    user = context.get("user")
    if target is None or user is None or not user.is_authenticated:
        return {"show": False}
    if owner_id(target) == user.pk:
        return {"show": False}
    kind = selectors.target_kind(target)
    question = context.get("question")
    thread = question if isinstance(question, Question) else None
    flagged = (kind, target.pk) in selectors.flagged_on_page(
        context.get("request"), user, target, question=thread
    )
    return {"show": True, "kind": kind, "flagged": flagged}


@register.filter
def can_moderate(user) -> bool:
    return roles.is_moderator(user)


@register.simple_tag
def move_forums():
    return Forum.objects.only("pk", "name")
