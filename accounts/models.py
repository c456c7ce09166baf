from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.emails import email_normalize


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email) -> str:
        """The whole address, not only the domain as Django's: see accounts.emails."""
        return email_normalize(email)

    def get_by_natural_key(self, email):
        # Django's ModelBackend and createsuperuser find members here.
        return self.get(email=email_normalize(email))

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("display_name", email.split("@")[0])
        return self._create_user(email, password, **extra)


class Visibility(models.TextChoices):
    """Who may see a profile field besides its owner."""

    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Logged-in members")
    HIDDEN = "hidden", _("Only you")


def _visibility_field(verbose_name) -> models.CharField:
    # Privacy by default: a new field is shown to members, not to the whole web.
    return models.CharField(
        verbose_name,
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
        db_default=Visibility.MEMBERS,
    )


class User(AbstractBaseUser, PermissionsMixin):
    """A member. Logs in with the email address, which is never shown to others."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=40,
        help_text=_("Shown next to everything you post, instead of your email address."),
    )
    # Database defaults too, for bulk loaders that COPY only some columns (seed_demo).
    bio = models.TextField(_("about you"), max_length=500, blank=True, default="", db_default="")
    location = models.CharField(_("location"), max_length=80, blank=True, default="", db_default="")
    # Storage names of the re-encoded square variants by edge length ({"256": ..., "64": ...});
    # empty without an avatar. Written only by accounts.services.avatar_set/avatar_remove.
    avatar = models.JSONField(_("avatar"), default=dict, db_default={}, blank=True, editable=False)
    bio_visibility = _visibility_field(_("who sees your bio"))
    location_visibility = _visibility_field(_("who sees your location"))
    avatar_visibility = _visibility_field(_("who sees your picture"))
    # Being listed (member directory, badge pages); the profile itself stays reachable
    # from the member's posts whatever this says.
    listing_visibility = _visibility_field(_("who finds you in member lists"))
    # For emails and notifications, which are sent outside any request.
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="en",
        db_default="en",
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        db_default=settings.TIME_ZONE,
        help_text=_("Daily digests arrive in the morning of this time zone."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(Lower("display_name"), name="user_display_name_ci_unique"),
            # Stored in lower case (accounts.emails.email_normalize), so that the unique
            # index of the field serves logins; these hold a path that forgets to it.
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("A member with this email address already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")),
                name="user_email_lower_case",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        # Every model form of members (the admin's) stores the address normalised.
        self.email = email_normalize(self.email)

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", args=[self.pk])

    def avatar_url(self, size: int) -> str:
        """The URL of the avatar variant `size` px square, or "" without an avatar."""
        name = self.avatar.get(str(size))
        return default_storage.url(name) if name else ""

    @property
    def avatar_urls(self) -> dict[str, str]:
        """For templates: {{ member.avatar_urls.64 }}."""
        return {size: default_storage.url(name) for size, name in self.avatar.items()}


class CustomerAccountLink(models.Model):
    """The customer account a member's points are credited to. Verified (by a code sent
    through the billing gateway, by staff, or by the brand's identity provider at login)
    before any credit goes there. Rows are
    history: changing the number revokes the link and starts a new one. Written only by
    accounts.customer_link."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for the code")
        VERIFIED = "verified", _("verified")
        REVOKED = "revoked", _("revoked")

    class Method(models.TextChoices):
        CODE = "code", _("code")
        STAFF = "staff", _("confirmed by staff")
        PROVIDER = "provider", _("vouched for by the identity provider")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="customer_links", verbose_name=_("member")
    )
    customer_number = models.CharField(_("customer number"), max_length=40)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    method = models.CharField(
        _("verification method"), max_length=8, choices=Method.choices, default=Method.CODE
    )
    # HMAC of the code (accounts.customer_link), never the code itself; "" when none is valid.
    code_hash = models.CharField(max_length=64, blank=True, default="")
    code_expires_at = models.DateTimeField(_("code expires at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("wrong codes"), default=0)
    code_sent_at = models.DateTimeField(_("code sent at"), null=True, blank=True)
    # Codes sent since send_window_start, carried over from the member's previous link, so
    # the daily limit also holds for a member who keeps changing the number.
    send_window_start = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer-account link")
        verbose_name_plural = _("customer-account links")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state__in=["pending", "verified"]),
                name="customer_link_one_current_per_user",
            ),
            models.UniqueConstraint(
                fields=["customer_number"],
                condition=models.Q(state="verified"),
                name="customer_link_number_verified_once",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="customer_link_user_idx"),
            models.Index(fields=["customer_number"], name="customer_link_number_idx"),
        ]

    def __str__(self) -> str:
        return self.customer_number


class CustomerLinkIssue(models.Model):
    """A customer number the brand's identity provider sent at login that was not linked,
    for staff to look into (the admin): it is another member's, it differs from the one
    already linked, it is not a valid number, or it is no longer sent. One open row per
    member, provider, kind and number, counted each time it is seen again. Written only
    by accounts.customer_link."""

    class Kind(models.TextChoices):
        TAKEN = "taken", _("linked to another member")
        CHANGED = "changed", _("differs from the linked number")
        INVALID = "invalid", _("not a valid customer number")
        MISSING = "missing", _("no longer sent")

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="customer_link_issues",
        verbose_name=_("member"),
    )
    provider = models.CharField(_("identity provider"), max_length=200)
    kind = models.CharField(_("problem"), max_length=8, choices=Kind.choices)
    # As sent, normalised (and cut to the field's length when invalid); "" when missing.
    customer_number = models.CharField(_("customer number sent"), max_length=40, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    times = models.PositiveIntegerField(_("times seen"), default=1)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer-number problem at login")
        verbose_name_plural = _("customer-number problems at login")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "provider", "kind", "customer_number"],
                condition=models.Q(resolved_at=None),
                name="customer_link_issue_open_once",
            ),
        ]
        indexes = [models.Index(fields=["-last_seen_at"], name="customer_link_issue_seen_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.customer_number or '-'}"


class ApiToken(models.Model):
    """A personal access token: named, scoped and expiring, created by its member after
    re-entering the password (and, for staff, a second factor). Only a SHA-256 hash of
    the key is stored: the key is shown once, when it is created."""

    class Scope(models.TextChoices):
        READ = "read", _("Read your private data (notifications, points, consents)")
        WRITE = "write", _("Post, vote, flag and change settings")
        PRIVACY = "privacy", _("Request your data export or erasure, change your consents")
        INSIGHTS = "insights", _("Read the deflection and savings figures (support leads)")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(_("key starts with"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    second_factor = models.BooleanField(
        _("created with a second factor"),
        default=False,
        help_text=_("Staff tokens work only if the second factor was proven when they were made."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="apitoken_expires_after_creation",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
