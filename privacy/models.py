"""Consent per purpose: purposes, their versioned texts and the append-only record of
what each member granted or withdrew, when and how."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _in_language(english: str, german: str) -> str:
    """German where the request speaks it and a translation exists; English otherwise."""
    return german if german and (get_language() or "").startswith("de") else english


class ConsentPurpose(models.Model):
    """What member data is used for. Names and descriptions are in English and German,
    because admins write them (gettext only covers the code's own strings)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_de = models.CharField(_("name (German)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    required = models.BooleanField(
        _("required"),
        default=False,
        help_text=_("Members must accept it to take part; it cannot be withdrawn."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("consent purpose")
        verbose_name_plural = _("consent purposes")

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        return _in_language(self.name, self.name_de)

    @property
    def local_description(self) -> str:
        return _in_language(self.description, self.description_de)


class ConsentText(models.Model):
    """One version of a purpose's text. The current version is the highest one already
    published; publishing a new version asks every member again."""

    purpose = models.ForeignKey(
        ConsentPurpose, on_delete=models.PROTECT, related_name="texts", verbose_name=_("purpose")
    )
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    text_de = models.TextField(_("text (German)"), blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        ordering = ["purpose", "-version"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version"], name="consent_text_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose.key} v{self.version}"

    @property
    def local_text(self) -> str:
        return _in_language(self.text, self.text_de)


class ConsentRecord(models.Model):
    """Append-only: a grant or a withdrawal is a new row; the latest row per purpose is
    the member's state. The user link is nulled on erasure so the proof survives."""

    class Method(models.TextChoices):
        SIGNUP = "signup", _("at signup")
        SETTINGS = "settings", _("on the privacy page")
        API = "api", _("through the API")
        PROMPT = "prompt", _("when asked to accept a new version")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consent_records",
        verbose_name=_("member"),
    )
    purpose = models.ForeignKey(
        ConsentPurpose, on_delete=models.PROTECT, related_name="records", verbose_name=_("purpose")
    )
    version = models.PositiveIntegerField(_("version"))
    granted = models.BooleanField(_("granted"))
    method = models.CharField(_("how"), max_length=16, choices=Method.choices)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [
            models.Index(fields=["user", "purpose", "-created_at"], name="consent_record_latest")
        ]

    def __str__(self) -> str:
        state = _("granted") if self.granted else _("withdrawn")
        return f"{self.purpose_id} v{self.version} {state}"


class PrivacyRequest(models.Model):
    """A member's request to export (Art. 15/20) or erase (Art. 17) their data.

    History is in PrivacyRequestEvent rows, appended on every change of state;
    `state` is their cached latest value, written in the same transaction.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Data export")
        ERASURE = "erasure", _("Erasure")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        EXPIRED = "expired", _("Expired")
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # SET_NULL: the log of an erasure outlives the member it erased.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # A pseudonymous reference that stays after erasure, for the request log.
    subject = models.CharField(_("subject"), max_length=64)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # The legal deadline: one month (Art. 12(3)).
    due_at = models.DateTimeField(_("due at"))
    # Erasure: when the grace period ends. Export: when the download expires.
    act_after = models.DateTimeField(_("act after"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    # sha256 of the single-use download token; the token itself is only in the email.
    token_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        indexes = [
            models.Index(fields=["state", "due_at"], name="privacyrequest_open"),
            models.Index(fields=["user", "kind", "-requested_at"], name="privacyrequest_user"),
        ]
        constraints = [
            # One export and one erasure under way per member at a time.
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(state__in=["queued", "building", "scheduled"]),
                name="privacyrequest_one_open_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject} ({self.get_state_display()})"


class PrivacyRequestEvent(models.Model):
    """Append-only: each change of a request's state, when, and why."""

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="events")
    state = models.CharField(max_length=10, choices=PrivacyRequest.State.choices)
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.state} at {self.at:%Y-%m-%d %H:%M}"


class VisitorSalt(models.Model):
    """The random salt of one day's visitor hashes (privacy.visitors). Deleted after the
    day, so a hash can no longer be tied to a session, nor two days' hashes to each other."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"visitor salt of {self.day}"
