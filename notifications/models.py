"""In-app notifications, their email delivery state, and members' preferences."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ANSWER = "answer", _("An answer to my question")
    COMMENT = "comment", _("A comment on my answer")
    ACCEPTED = "accepted", _("My answer was accepted")
    MENTION = "mention", _("Someone mentioned me")
    FORUM_QUESTION = "forum_question", _("A new question in a forum I follow")
    INVITE = "invite", _("An invitation to answer")
    REMINDER = "reminder", _("A reminder to mark the solution")
    MODERATION = "moderation", _("A moderation decision about my content")
    EXPORT_READY = "export_ready", _("My data export is ready")
    PAYOUT = "payout", _("A payout was credited")
    ESCALATION = "escalation", _("An unanswered question was escalated (staff)")
    WEBHOOK_DISABLED = "webhook_disabled", _("A webhook endpoint was switched off (staff)")


class Channel(models.TextChoices):
    OFF = "off", _("Off")
    IN_APP = "in_app", _("In the app only")
    EMAIL = "email", _("Email immediately")
    DIGEST = "digest", _("Daily digest")


class EmailState(models.TextChoices):
    NONE = "none", _("no email")
    PENDING = "pending", _("to be sent")
    DIGEST = "digest", _("waiting for the digest")
    SENT = "sent", _("sent")
    SKIPPED = "skipped", _("not sent")


class Notification(models.Model):
    """One thing a member is told. Written in the transaction of what caused it; the
    unique key (derived from the cause) makes a repeated event or task harmless. Email
    goes out after commit (notifications.tasks); a sweep sends what a lost task did not."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=160, unique=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    question = models.ForeignKey(
        "community.Question", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    answer = models.ForeignKey(
        "community.Answer", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        "community.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # What the message needs besides the objects above: points, a reason, a link.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=8, choices=EmailState.choices, default=EmailState.NONE
    )
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(
                fields=["email_state", "created_at"],
                condition=Q(email_state__in=["pending", "digest"]),
                name="notification_email_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class Preference(models.Model):
    """A member's channel for one kind; no row: the kind's default (notifications.kinds)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} → {self.channel}"


class Invitation(models.Model):
    """ "Invite to answer": one per inviter, invitee and question; counted for the limit."""

    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey("community.Question", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invitee", "question"], name="invitation_once_per_question"
            )
        ]
        indexes = [models.Index(fields=["inviter", "-created_at"], name="invitation_inviter")]

    def __str__(self) -> str:
        return f"{self.inviter_id} invited {self.invitee_id} to {self.question_id}"
