"""What the community saves: one row per deflection signal, the cost of a service
contact per channel, and the contact requests the contact page forwards.

Definitions (shown on the dashboard too): a deflected contact is a peer solution, a
"solved for me too" mark or a contact-page visit that ended on a community answer,
each counted at most once per person and question. Savings are deflected contacts x
the cost per contact of their channel, minus the value of the points credited."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import SingletonSettings


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Chat")
    CONTACT_FORM = "form", _("Contact form")


DEFAULT_COST = Decimal("1.50")


class ChannelCost(models.Model):
    """What one service contact costs in a channel, set by the support leads. The
    current cost applies to every period shown, so figures stay comparable."""

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, unique=True)
    cost = models.DecimalField(
        _("cost per contact (EUR)"),
        max_digits=8,
        decimal_places=2,
        default=DEFAULT_COST,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10000"))],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cost per contact")
        verbose_name_plural = _("costs per contact")
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__gte=0) & Q(cost__lte=10000), name="channelcost_cost_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: EUR {self.cost}"


class InsightsSettings(SingletonSettings):
    """One row: which channel a community deflection stands for."""

    community_channel = models.CharField(
        _("channel a community answer replaces"),
        max_length=8,
        choices=Channel.choices,
        default=Channel.PHONE,
        help_text=_(
            "Peer solutions and 'solved for me too' marks count at this channel's cost; "
            "contact-page deflections count at the contact form's."
        ),
    )

    class Meta:
        verbose_name = _("insights settings")
        verbose_name_plural = _("insights settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="insightssettings_one_row")]

    def __str__(self) -> str:
        return str(_("Insights settings"))


class EventKind(models.TextChoices):
    PEER_SOLUTION = "peer_solution", _("Solved by a peer")
    STAFF_SOLUTION = "staff_solution", _("Solved by staff")
    SOLVED_TOO = "solved_too", _("Solved for me too")
    CONTACT_DEFLECTED = "contact_deflected", _("Contact page: solved by a suggestion")
    CONTACT_SUBMITTED = "contact_submitted", _("Contact page: request sent")
    # The answers widget on a brand's site (widget/): "this solved my problem".
    WIDGET_SOLVED = "widget_solved", _("Widget: solved by an answer")


# The kinds that count as a deflected contact.
DEFLECTION_KINDS = (
    EventKind.PEER_SOLUTION,
    EventKind.SOLVED_TOO,
    EventKind.CONTACT_DEFLECTED,
    EventKind.WIDGET_SOLVED,
)
# Kinds a person says of a question: at most one of them per person and question.
PERSONAL_KINDS = (EventKind.SOLVED_TOO, EventKind.CONTACT_DEFLECTED, EventKind.WIDGET_SOLVED)


class Event(models.Model):
    """One signal, recorded once (the unique key) with its time, forum and question.

    Rows are written by insights.events in the transaction of what caused them. A
    solution's row goes when the answer is unaccepted: the question is no longer solved.
    Visitors are never identified: `visitor` is a hash of their session under a salt
    that is thrown away after a day (privacy.visitors)."""

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    # "solution:<question>", "solved_too:<mark>", "contact:<visit>"
    key = models.CharField(max_length=80, unique=True)
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    forum = models.ForeignKey(
        "community.Forum", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    question = models.ForeignKey(
        "community.Question", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The answer that solved it: the accepted one, or the one a mark or visit ended on.
    answer = models.ForeignKey(
        "community.Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The channel the contact would have come through; its cost is applied when reporting.
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # Who said so, for the once-per-person rule: a member, or a visitor's daily hash.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visitor = models.CharField(max_length=64, blank=True, default="")
    # Caused by an account still in its probation (rewards.EconomySettings.probation_days:
    # the member who marked or visited, the asker or the answerer of a solution): recorded
    # and shown apart, never counted, so fresh accounts cannot manufacture savings.
    probation = models.BooleanField(_("in probation"), default=False, db_default=False)
    contact_request = models.ForeignKey(
        "ContactRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("deflection event")
        verbose_name_plural = _("deflection events")
        permissions = [("analyse_event", "Can see the deflection and savings dashboard")]
        indexes = [
            models.Index(fields=["kind", "occurred_at"], name="event_kind_time"),
            # Covering: a period's figures (the days not rolled up) are an index-only scan.
            models.Index(
                fields=["occurred_at"],
                include=["kind", "channel", "forum", "probation", "user"],
                name="event_time",
            ),
            models.Index(fields=["forum", "occurred_at"], name="event_forum_time"),
            models.Index(fields=["answer"], name="event_answer"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "user"],
                condition=Q(user__isnull=False, kind__in=PERSONAL_KINDS),
                name="event_once_per_member_question",
            ),
            models.UniqueConstraint(
                fields=["question", "visitor"],
                condition=~Q(visitor="") & Q(kind__in=PERSONAL_KINDS),
                name="event_once_per_visitor_question",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} at {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def is_deflection(self) -> bool:
        return self.kind in DEFLECTION_KINDS


class ContactRequest(models.Model):
    """What a customer sent from the contact page after "I still need help": stored,
    then forwarded to the support system by email or webhook (insights.contact.forwarding)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be forwarded")
        FORWARDED = "forwarded", _("forwarded")
        FAILED = "failed", _("forwarding failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email address"))
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"), max_length=5000)
    forum = models.ForeignKey(
        "community.Forum",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
    )
    language = models.CharField(max_length=8, default="en")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    # Name, email and message are blanked once the retention period has passed.
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(state="pending"), name="contact_pending"
            ),
            models.Index(fields=["user", "-created_at"], name="contact_user"),
            models.Index(fields=["-created_at"], name="contact_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_state_display()})"


class PointsDay(models.Model):
    """Points credited (awards, and reversals of awards) per day of the reporting zone and
    forum: the ledger summed once, so a year of figures reads 365 x forums rows instead of
    every entry. Exact, because the ledger is append-only and entries are written at the
    time they happen; days after `RollupState.points_through` are read from the ledger."""

    day = models.DateField()
    forum = models.ForeignKey(
        "community.Forum",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    points = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "forum"], name="pointsday_once", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} forum {self.forum_id}: {self.points}"


class EventDay(models.Model):
    """Events per day of the reporting zone, forum, kind, channel, whether a member said
    so, and probation: the events counted once, so a year of figures reads a few thousand
    rows instead of every event. Days after `RollupState.events_through` are read from the
    events. Unlike the ledger, a closed day's events can still change (a solution
    withdrawn, a contact-page visit that ends in a request after all, a member erased):
    insights.rollups.events_invalidate moves `events_through` back before such a day."""

    day = models.DateField()
    forum = models.ForeignKey(
        "community.Forum",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    member = models.BooleanField()  # said by a member (Event.user set), not a visitor
    probation = models.BooleanField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "forum", "kind", "channel", "member", "probation"],
                name="eventday_once",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} forum {self.forum_id} {self.kind} {self.channel}: {self.count}"


class RollupState(models.Model):
    """One row: the last day (reporting zone) PointsDay and EventDay hold; None before
    the first run."""

    points_through = models.DateField(null=True, blank=True)
    events_through = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="rollupstate_one_row")]

    def __str__(self) -> str:
        return f"points rolled up through {self.points_through}, events {self.events_through}"


class RefusalReason(models.TextChoices):
    NO_PROOF = "no_proof", _("no page view behind it")
    EXPIRED = "expired", _("page too old")
    OTHER_VISITOR = "other_visitor", _("page viewed by someone else")
    TOO_FAST = "too_fast", _("faster than a person reads")
    NETWORK_FLOOD = "network_flood", _("too many from one network today")
    QUESTION_FLOOD = "question_flood", _("too many for one question from one network today")
    PERSON_FLOOD = "person_flood", _("too many from one member or browser today")


class RefusedSignal(models.Model):
    """How many anonymous (or flooding) signals were refused, per day, kind and reason:
    counts only, nothing about who sent them (insights.proof)."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=RefusalReason.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("refused signal count")
        verbose_name_plural = _("refused signal counts")
        constraints = [
            models.UniqueConstraint(fields=["day", "kind", "reason"], name="refusedsignal_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} refused ({self.reason}): {self.count}"


class SignalCount(models.Model):
    """Today's anonymous signals per network (and per network and question), under a key
    hashed with the day's visitor salt; deleted after two days (insights.proof)."""

    day = models.DateField()
    key = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "key"], name="signalcount_once")]

    def __str__(self) -> str:
        return f"{self.day} {self.key[:8]}…: {self.count}"
