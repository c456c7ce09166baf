"""Outbound webhooks: the brand's systems (CRM, ticketing, billing) hear of what happens
in the community. Staff register endpoints; each event is stored once and delivered to
every endpoint that subscribes to its type, signed, by Celery after commit, with retries
(docs/webhooks.md)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    QUESTION_ASKED = "question.asked", _("A question was asked")
    QUESTION_ANSWERED = "question.answered", _("A question was answered")
    QUESTION_ACCEPTED = "question.accepted", _("An answer was accepted")
    QUESTION_ESCALATED = "question.escalated", _("An unanswered question was escalated")
    FLAG_RAISED = "flag.raised", _("A post or profile was flagged")
    MEMBER_ERASED = "member.erased", _("A member was erased")
    SETTLEMENT_CONFIRMED = "settlement.confirmed", _("A payout was confirmed")
    SETTLEMENT_FAILED = "settlement.failed", _("A payout failed for good")


class Endpoint(models.Model):
    """A URL of the brand's systems that receives the events it subscribes to. Written
    only by webhooks.services (pages and admin alike)."""

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True, default="")
    # A list of EventType values; at least one (webhooks.services).
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    # Failed attempts in a row, over all its deliveries; a success resets it. At
    # WEBHOOKS_DISABLE_AFTER_FAILURES the endpoint is switched off and staff are told.
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    disabled_at = models.DateTimeField(_("switched off at"), null=True, blank=True)
    disabled_reason = models.CharField(
        _("why it was switched off"), max_length=300, blank=True, default=""
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description or self.url


class Secret(models.Model):
    """A signing secret of an endpoint. The current one has no `expires_at`; rotating
    gives the previous one an expiry, and until then requests carry both signatures."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="secrets")
    value = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signing secret")
        verbose_name_plural = _("signing secrets")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint"], condition=Q(expires_at=None), name="webhook_secret_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.value[:10]}…"


class Event(models.Model):
    """Something that happened, as it is sent: its type, schema version and data. The
    key comes from the business event ("question.asked:42"), so emitting it twice stores
    it once. `members` are the members its data names, for erasure (webhooks.gdpr)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("type"), max_length=32, choices=EventType.choices)
    version = models.PositiveSmallIntegerField(_("schema version"))
    key = models.CharField(max_length=160, unique=True)
    data = models.JSONField(_("data"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        indexes = [models.Index(fields=["created_at"], name="webhook_event_created")]

    def __str__(self) -> str:
        return f"{self.type} {self.uid}"


class Delivery(models.Model):
    """One event for one endpoint. `uid` is the X-Peerdesk-Delivery header, the same on
    every attempt, so a receiver drops what it already has. `next_attempt_at` is when it
    is due: set before each attempt, so a lost task is found by the sweep."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    # Attempts since it was created or last redelivered by staff.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True, default="")
    last_duration_ms = models.PositiveIntegerField(_("last duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_once")
        ]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_endpoint"),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="webhook_delivery_due",
            ),
        ]

    def __str__(self) -> str:
        return str(self.uid)


class Attempt(models.Model):
    """One HTTP request of a delivery and what came back: the delivery log."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField(_("started at"))
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    # The start of the response body, at most webhooks.delivery.SNIPPET_CHARS characters.
    response = models.TextField(_("response"), blank=True, default="")
    error = models.CharField(_("error"), max_length=300, blank=True, default="")
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        indexes = [models.Index(fields=["delivery", "started_at"], name="webhook_attempt_delivery")]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.started_at:%Y-%m-%d %H:%M:%S}"

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300
