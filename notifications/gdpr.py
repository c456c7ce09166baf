"""What notifications hold about a member, for the data export (Art. 15, 20 GDPR).

Erasure needs nothing here: notifications, preferences and invitations sent or received
are deleted with the member's row (CASCADE); a notification about them to someone else
keeps no name (its actor is SET_NULL). Registered with core.gdpr."""

from django.utils.translation import gettext_lazy

from core import gdpr
from notifications.models import Invitation, Notification, Preference

EXPORT_ORDER = 60


@gdpr.exporter(
    "notifications.json",
    gettext_lazy("What we told you in the app or by email, and when you read it."),
    order=EXPORT_ORDER,
    models=[Notification],
)
def notification_rows(user) -> list[dict]:
    notifications = Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    return [
        {
            "created_at": n.created_at,
            "kind": n.kind,
            "question_id": n.question_id,
            "answer_id": n.answer_id,
            "comment_id": n.comment_id,
            "read_at": n.read_at,
            "email": n.email_state,
            "emailed_at": n.emailed_at,
        }
        for n in notifications.iterator()
    ]


@gdpr.exporter(
    "notification_preferences.json",
    gettext_lazy("How you chose to hear about each kind of news."),
    order=EXPORT_ORDER,
    models=[Preference],
)
def preference_rows(user) -> list[dict]:
    preferences = Preference.objects.filter(user=user).order_by("kind")
    return [{"kind": p.kind, "channel": p.channel} for p in preferences]


@gdpr.exporter(
    "invitations.json",
    gettext_lazy("The members you invited to answer."),
    order=EXPORT_ORDER,
    models=[Invitation],
)
def invitation_rows(user) -> list[dict]:
    """Invitations the member sent; whom they invited is named by display name only."""
    invitations = (
        Invitation.objects.filter(inviter=user).select_related("invitee").order_by("created_at")
    )
    return [
        {
            "created_at": i.created_at,
            "question_id": i.question_id,
            "invited": i.invitee.display_name,
        }
        for i in invitations
    ]


gdpr.deleted_with_member(Notification, Preference, Invitation)
