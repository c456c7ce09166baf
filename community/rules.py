"""Who may do what, and the limits on what they write. Pure checks, no writes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts import roles
from community.models import Comment, Question, Visibility
from core.text import clean_text

COMMENT_MAX = 2000


def limit(name: str) -> int:
    return settings.PEERDESK[name]


def can_edit(*, user, post) -> bool:
    """The author, unless a moderator removed the post; moderators always."""
    if not user.is_authenticated:
        return False
    own = user.pk == post.author_id and post.visibility != Visibility.REMOVED
    return own or roles.is_moderator(user)


def can_see(*, user, post) -> bool:
    """Everyone sees a visible post; its author and moderators also one that is not."""
    return post.is_visible or (
        user.is_authenticated and (user.pk == post.author_id or roles.is_moderator(user))
    )


def can_accept(*, user, question) -> bool:
    return user.is_authenticated and (user.pk == question.author_id or roles.is_moderator(user))


def clean_title(title: str) -> str:
    title = " ".join(clean_text(title or "").split())
    low, high = limit("QUESTION_TITLE_MIN"), limit("QUESTION_TITLE_MAX")
    if len(title) < low:
        raise ValidationError(
            {"title": _("The title needs at least %(n)d characters.") % {"n": low}}
        )
    if len(title) > high:
        raise ValidationError(
            {"title": _("The title can have at most %(n)d characters.") % {"n": high}}
        )
    return title


def clean_body(body: str, *, minimum: int) -> str:
    body = clean_text(body or "").strip()
    if len(body) < minimum:
        raise ValidationError(
            {"body": _("The text needs at least %(n)d characters.") % {"n": minimum}}
        )
    high = limit("BODY_MAX")
    if len(body) > high:
        raise ValidationError(
            {"body": _("The text can have at most %(n)d characters.") % {"n": high}}
        )
    return body


def clean_tags(names) -> list[str]:
    tags = []
    for raw in names or []:
        name = "-".join(clean_text(str(raw)).lower().split())
        if not name:
            continue
        if len(name) > 32:
            raise ValidationError({"tags": _("A tag can have at most 32 characters.")})
        if {".", ".."} & set(name.split("/")):
            raise ValidationError({"tags": _("A tag cannot be “.” or “..” between slashes.")})
        if name not in tags:
            tags.append(name)
    if len(tags) > limit("TAGS_MAX"):
        raise ValidationError({"tags": _("At most %(n)d tags.") % {"n": limit("TAGS_MAX")}})
    return tags


def clean_post_body(model: type, body: str) -> str:
    """The body of a question, answer or comment (`model`), within that kind's limits."""
    if model is Comment:
        body = clean_body(body, minimum=2)
        if len(body) > COMMENT_MAX:
            raise ValidationError({"body": _("A comment can have at most 2000 characters.")})
        return body
    minimum = "QUESTION_BODY_MIN" if model is Question else "ANSWER_BODY_MIN"
    return clean_body(body, minimum=limit(minimum))
