"""Flags, the review queue (cases), the audit log of moderation actions, appeals,
members' standing (trust, suspension, ban) and watched words."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import SingletonSettings

TARGETS = ("question", "answer", "comment", "profile")


def _target_key(to: str, on_delete, **options) -> models.ForeignKey:
    return models.ForeignKey(
        to, on_delete=on_delete, null=True, blank=True, related_name="+", **options
    )


class Target(models.Model):
    """What a flag, case or action is about: a question, answer, comment or a member's
    profile. Exactly one is set where a constraint says so (see `one_target`)."""

    question = _target_key("community.Question", models.CASCADE)
    answer = _target_key("community.Answer", models.CASCADE)
    comment = _target_key("community.Comment", models.CASCADE)
    profile = _target_key(settings.AUTH_USER_MODEL, models.CASCADE, verbose_name=_("profile"))

    class Meta:
        abstract = True

    @property
    def target(self):
        return self.question or self.answer or self.comment or self.profile

    @property
    def target_kind(self) -> str:
        return next(name for name in TARGETS if getattr(self, f"{name}_id") is not None)


def target_fields(obj) -> dict:
    """{"answer": obj} for an Answer, and so on: the keyword for a Target's foreign key."""
    name = type(obj).__name__.lower()
    return {"profile" if name == "user" else name: obj}


def one_target(name: str) -> models.CheckConstraint:
    options = [Q(**{f"{f}__isnull": f != chosen for f in TARGETS}) for chosen in TARGETS]
    condition = options[0]
    for option in options[1:]:
        condition |= option
    return models.CheckConstraint(condition=condition, name=name)


def once_per_target(name: str, *fields: str, condition: Q | None = None) -> list:
    """One row per `fields` and target, each with its own partial unique index."""
    return [
        models.UniqueConstraint(
            fields=[*fields, target],
            condition=Q(**{f"{target}__isnull": False}) & (condition or Q()),
            name=f"{name}_{target}",
        )
        for target in TARGETS
    ]


class TrustLevel(models.IntegerChoices):
    NEW = 0, _("new")
    MEMBER = 1, _("member")
    REGULAR = 2, _("regular")
    TRUSTED = 3, _("trusted")


class TrustLevelRule(models.Model):
    """How a member reaches a level and what the level may do. Edited by community
    managers; moderation.trust reads them."""

    level = models.PositiveSmallIntegerField(_("level"), choices=TrustLevel.choices, unique=True)
    min_days = models.PositiveIntegerField(_("member for at least (days)"), default=0)
    min_posts = models.PositiveIntegerField(_("visible posts, at least"), default=0)
    min_points = models.PositiveIntegerField(_("lifetime points, at least"), default=0)
    posts_per_hour = models.PositiveIntegerField(_("posts per hour"))
    flags_per_day = models.PositiveIntegerField(_("flags per day"))
    votes_per_day = models.PositiveIntegerField(_("kudos per day"))
    flag_weight = models.PositiveSmallIntegerField(
        _("flag weight"), help_text=_("Counts towards hiding a post automatically.")
    )

    class Meta:
        ordering = ["level"]
        verbose_name = _("trust level")
        verbose_name_plural = _("trust levels")

    def __str__(self) -> str:
        return str(TrustLevel(self.level).label)


class ModerationSettings(SingletonSettings):
    """One row (pk=1), edited by community managers."""

    auto_hide_weight = models.PositiveIntegerField(
        _("hide automatically at flag weight"),
        default=6,
        help_text=_("Flags from trusted members add up to this weight: the post is hidden."),
    )
    claim_minutes = models.PositiveIntegerField(
        _("a claimed case is reserved for (minutes)"), default=15
    )
    appeal_days = models.PositiveIntegerField(_("appeals possible for (days)"), default=30)

    class Meta:
        verbose_name = _("moderation settings")
        verbose_name_plural = _("moderation settings")

    def __str__(self) -> str:
        return str(_("Moderation settings"))


class MemberStanding(models.Model):
    """A member's standing with the moderators. No row: in good standing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # Set by a moderator; otherwise the level follows from activity and age.
    trust_override = models.PositiveSmallIntegerField(
        _("trust level set by a moderator"), choices=TrustLevel.choices, null=True, blank=True
    )
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    # A ban is a suspension without end: the member can still log in, read, appeal and
    # use their data rights, but not post, vote or flag.
    banned_at = models.DateTimeField(_("banned"), null=True, blank=True)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)

    class Meta:
        verbose_name = _("member standing")
        verbose_name_plural = _("member standings")

    def __str__(self) -> str:
        return str(self.user)


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    OFFENSIVE = "offensive", _("Offensive")
    OFF_TOPIC = "off_topic", _("Off-topic")
    PERSONAL_DATA = "personal_data", _("Personal data exposed")
    OTHER = "other", _("Other")


# Why a held post waits for review, kept in Case.note as a code and worded in the
# reader's language when shown (Case.note_text): the moderator's, not the author's.
HOLD_LINK = "link"
HOLD_WORD = "word:"  # followed by the watched word


class CaseSource(models.TextChoices):
    FLAGS = "flags", _("flagged by members")
    HELD = "held", _("held before publishing")
    APPEAL = "appeal", _("appeal")


class Case(Target):
    """An item in the review queue. One open case per target and source; a case
    claimed by a moderator is theirs until `claimed_at` + the claim time."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    source = models.CharField(_("source"), max_length=8, choices=CaseSource.choices)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    # Personal data first, then appeals, then the rest; within a priority by weight and age.
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    weight = models.PositiveIntegerField(_("flag weight"), default=0)
    # Why a post was held (watched word, link from a member in probation).
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    appeal = models.OneToOneField(
        "Appeal", on_delete=models.CASCADE, null=True, blank=True, related_name="case"
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [("moderate_case", "Can work the review queue")]
        constraints = [
            one_target("case_one_target"),
            *once_per_target(
                "case_open_once", "source", condition=Q(state="open") & Q(appeal__isnull=True)
            ),
            models.CheckConstraint(
                condition=Q(source="appeal", appeal__isnull=False)
                | ~Q(source="appeal") & Q(appeal__isnull=True),
                name="case_appeal_iff_source",
            ),
        ]
        indexes = [
            models.Index(
                fields=["-priority", "-weight", "opened_at"],
                condition=Q(state="open"),
                name="case_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.pk} ({self.source}, {self.target_kind})"

    @property
    def note_text(self) -> str:
        """The note in the active language. Notes stored as text before the codes, in
        the author's language, are shown as they are."""
        if self.note == HOLD_LINK:
            return gettext("Contains a link, from a new member.")
        if self.note.startswith(HOLD_WORD):
            word = self.note.removeprefix(HOLD_WORD)
            return gettext("Contains the watched word “%(word)s”.") % {"word": word}
        return self.note


class Flag(Target):
    """A member's report of a post or profile. One per member and target."""

    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    text = models.CharField(_("details"), max_length=500, blank=True, default="")
    # The flagger's trust level's weight when flagging.
    weight = models.PositiveSmallIntegerField(default=0)
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, related_name="flags")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            one_target("flag_one_target"),
            *once_per_target("flag_once", "flagger"),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(text=""), name="flag_other_has_text"
            ),
        ]
        indexes = [models.Index(fields=["flagger", "-created_at"], name="flag_flagger_recent")]

    def __str__(self) -> str:
        return f"{self.reason} flag by {self.flagger_id}"


class ActionKind(models.TextChoices):
    DISMISS = "dismiss", _("dismissed the flags")
    APPROVE = "approve", _("approved")
    HIDE = "hide", _("hid")
    RESTORE = "restore", _("restored")
    EDIT = "edit", _("edited")
    REDACT = "redact", _("removed personal data")
    DELETE = "delete", _("removed")
    LOCK = "lock", _("locked")
    UNLOCK = "unlock", _("unlocked")
    MOVE = "move", _("moved")
    WARN = "warn", _("warned")
    SUSPEND = "suspend", _("suspended")
    BAN = "ban", _("banned")
    UNBAN = "unban", _("lifted the suspension or ban")
    CONFIRM_ABUSE = "confirm_abuse", _("confirmed spam or abuse")
    PURGE = "purge", _("removed all posts of")
    AUTO_HIDE = "auto_hide", _("hid automatically")
    APPEAL_UPHELD = "appeal_upheld", _("upheld on appeal")
    APPEAL_OVERTURNED = "appeal_overturned", _("overturned on appeal")
    TRUST = "trust", _("set the trust level")


class ModerationAction(Target):
    """The audit log: who did what, why, and the state before and after. Append-only:
    written by moderation.audit, read-only in the admin. Rows outlive what they are about:
    every reference is SET_NULL, and `before`/`after` say what it was."""

    question = _target_key("community.Question", models.SET_NULL)
    answer = _target_key("community.Answer", models.SET_NULL)
    comment = _target_key("community.Comment", models.SET_NULL)
    profile = _target_key(settings.AUTH_USER_MODEL, models.SET_NULL, verbose_name=_("profile"))

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    kind = models.CharField(_("action"), max_length=20, choices=ActionKind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    # The member the action is about (the author of a post), for their history and appeals.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True, default="")
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        indexes = [
            models.Index(fields=["-created_at"], name="modaction_newest"),
            models.Index(fields=["member", "-created_at"], name="modaction_member"),
            models.Index(fields=["actor", "-created_at"], name="modaction_actor"),
            models.Index(fields=["kind", "-created_at"], name="modaction_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class Appeal(models.Model):
    """A member's one appeal against one action; decided by another moderator."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        UPHELD = "upheld", _("decision upheld")
        OVERTURNED = "overturned", _("decision overturned")

    action = models.OneToOneField(ModerationAction, on_delete=models.CASCADE, related_name="appeal")
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("why the decision should change"), max_length=2000)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"appeal {self.pk} against action {self.action_id}"


class WatchedWord(models.Model):
    """A word or phrase checked in every new or edited post."""

    class Action(models.TextChoices):
        BLOCK = "block", _("block the post")
        HOLD = "hold", _("hold for review")
        REPLACE = "replace", _("replace")

    word = models.CharField(
        _("word or phrase"),
        max_length=100,
        unique=True,
        help_text=_("Matched as a whole word, ignoring case; * matches any letters."),
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    replacement = models.CharField(_("replace with"), max_length=100, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["word"]
        verbose_name = _("watched word")
        verbose_name_plural = _("watched words")
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="replace") | ~Q(replacement=""),
                name="watchedword_replace_has_replacement",
            )
        ]

    def __str__(self) -> str:
        return self.word
