"""What a notification says and where it leads, in the active language: the same line
is the entry in the list, the API's summary and the email's subject."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import money
from notifications import selectors
from notifications.models import Kind, Notification
from rewards.settlement.selectors import euros

_SUMMARIES = {
    Kind.ANSWER: gettext_lazy("%(actor)s answered your question “%(title)s”"),
    Kind.COMMENT: gettext_lazy("%(actor)s commented on your answer to “%(title)s”"),
    Kind.ACCEPTED: gettext_lazy("Your answer to “%(title)s” was accepted: +%(points)s points"),
    Kind.MENTION: gettext_lazy("%(actor)s mentioned you in “%(title)s”"),
    Kind.FORUM_QUESTION: gettext_lazy("New question in %(forum)s: “%(title)s”"),
    Kind.INVITE: gettext_lazy("%(actor)s invites you to answer “%(title)s”"),
    Kind.REMINDER: gettext_lazy("Did an answer solve “%(title)s”? Please mark the solution"),
    Kind.MODERATION: gettext_lazy("A moderator made a decision about your content"),
    Kind.EXPORT_READY: gettext_lazy("Your data export is ready"),
    Kind.PAYOUT: gettext_lazy("%(amount)s have been credited to your customer account"),
    Kind.ESCALATION: gettext_lazy("Unanswered question escalated: “%(title)s”"),
    Kind.WEBHOOK_DISABLED: gettext_lazy(
        "Webhook endpoint “%(endpoint)s” switched off after %(failures)s failed attempts"
    ),
}
_WITHOUT_POINTS = gettext_lazy("Your answer to “%(title)s” was accepted")
# Moderation decisions by the data's "action" (a moderation.models.ActionKind): about a
# post (the notification names its question), or about the member.
_ON_POST = {
    "approve": gettext_lazy("Your post in “%(title)s” was approved and is public now"),
    "hide": gettext_lazy("A moderator hid your post in “%(title)s”"),
    "auto_hide": gettext_lazy("Your post in “%(title)s” is hidden until a moderator reviews it"),
    "restore": gettext_lazy("Your post in “%(title)s” is visible again"),
    "edit": gettext_lazy("A moderator edited your post in “%(title)s”"),
    "redact": gettext_lazy("A moderator removed personal data from your post in “%(title)s”"),
    "delete": gettext_lazy("A moderator removed your post in “%(title)s”"),
    "confirm_abuse": gettext_lazy("A moderator removed your post in “%(title)s” as spam or abuse"),
    "lock": gettext_lazy("A moderator locked the thread “%(title)s”"),
    "unlock": gettext_lazy("A moderator unlocked the thread “%(title)s”"),
    "move": gettext_lazy("A moderator moved your question “%(title)s” to %(forum)s"),
    "appeal_upheld": gettext_lazy(
        "Your appeal about “%(title)s” was reviewed: the decision stands"
    ),
    "appeal_overturned": gettext_lazy("Your appeal about “%(title)s” was successful"),
}
_ON_MEMBER = {
    "hide": gettext_lazy("A moderator hid your profile"),
    "auto_hide": gettext_lazy("Your profile is hidden until a moderator reviews it"),
    "restore": gettext_lazy("Your profile is visible again"),
    "warn": gettext_lazy("A moderator sent you a warning"),
    "suspend": gettext_lazy("Your account has been suspended"),
    "ban": gettext_lazy("Your account has been banned"),
    "unban": gettext_lazy("Your suspension or ban has been lifted"),
    "purge": gettext_lazy("A moderator removed all your posts"),
    "appeal_upheld": gettext_lazy("Your appeal was reviewed: the decision stands"),
    "appeal_overturned": gettext_lazy("Your appeal was successful"),
}


def _template(notification: Notification, *, visible: bool):
    kind, data = notification.kind, notification.data
    if kind == Kind.ACCEPTED and not data.get("points"):
        return _WITHOUT_POINTS
    if kind == Kind.MODERATION and visible:
        decisions = _ON_POST if notification.question_id else _ON_MEMBER
        return decisions.get(data.get("action"), _SUMMARIES[kind])
    return _SUMMARIES[kind]


def _amount(data: dict) -> str:
    return money(euros(int(data.get("amount_cents", 0))), str(data.get("currency", "EUR")))


def summary(notification: Notification) -> str:
    """One line; about content the member may no longer see it names nothing (a
    moderation decision about it still says that there is one)."""
    visible = selectors.can_see(notification)
    if not visible and notification.kind != Kind.MODERATION:
        return _("This content is no longer available")
    question, data = notification.question, notification.data
    values = {
        "actor": notification.actor.display_name if notification.actor else _("A former member"),
        "title": question.title if question else "",
        "forum": question.forum.name if question else "",
        "points": data.get("points", 0),
    }
    if notification.kind == Kind.PAYOUT:
        values["amount"] = _amount(data)
    if notification.kind == Kind.WEBHOOK_DISABLED:
        values |= {"endpoint": data.get("endpoint", ""), "failures": data.get("failures", 0)}
    return _template(notification, visible=visible) % values


def link(notification: Notification) -> str:
    """The path of what the notification is about; "" when there is nothing to show."""
    path = notification.data.get("url")
    if isinstance(path, str) and path.startswith("/") and not path.startswith("//"):
        return path  # given by the code that notified: a moderation decision's page
    if not selectors.can_see(notification):
        return ""
    if notification.kind == Kind.EXPORT_READY:
        return reverse("privacy_export:page")
    if notification.kind == Kind.PAYOUT:
        return reverse("rewards:points")
    if notification.answer_id:
        return reverse("community:answer", args=[notification.answer_id])
    if notification.question_id:
        return reverse("community:question", args=[notification.question_id])
    return ""


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path else ""
