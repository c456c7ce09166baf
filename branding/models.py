"""The community's identity and look, set by community managers in the admin: one row."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from branding.colors import contrast_error, validate_hex
from core.models import SingletonSettings

PAGE = "#f6f8fa"  # the page background of static/css/peerdesk.css
CARD = "#ffffff"  # cards, and the header by default


class Brand(SingletonSettings):
    """The name, logo, favicon, colours, imprint and links of the community (pk=1)."""

    name = models.CharField(_("community name"), max_length=60, default="Peerdesk")
    logo = models.FileField(
        _("logo"),
        upload_to="brand/",
        blank=True,
        help_text=_("SVG or PNG; shown in the header instead of the name."),
    )
    favicon = models.FileField(
        _("favicon"), upload_to="brand/", blank=True, help_text=_("SVG or PNG, square.")
    )
    color_brand = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#0b5cad",
        validators=[validate_hex],
        help_text=_("Links and buttons: readable on white and on the page background."),
    )
    color_brand_ink = models.CharField(
        _("text on the brand colour"), max_length=7, default="#ffffff", validators=[validate_hex]
    )
    color_header = models.CharField(
        _("header background"), max_length=7, default=CARD, validators=[validate_hex]
    )
    color_header_ink = models.CharField(
        _("header text"), max_length=7, default="#1b1f24", validators=[validate_hex]
    )
    imprint = models.TextField(
        _("imprint"),
        blank=True,
        help_text=_("The Impressum, required for German sites: shown at /imprint/."),
    )
    privacy_policy_url = models.URLField(
        _("privacy policy link"),
        blank=True,
        help_text=_("Empty: the community's own privacy page."),
    )
    email_sender_name = models.CharField(
        _("sender name of emails"),
        max_length=60,
        blank=True,
        help_text=_("Empty: the community name."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta(SingletonSettings.Meta):
        verbose_name = _("brand")
        verbose_name_plural = _("brand")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Every text colour readable on its background (WCAG AA, 4.5:1)."""
        pairs = [
            (self.color_brand, CARD, "color_brand", _("Links on white")),
            (self.color_brand, PAGE, "color_brand", _("Links on the page background")),
            (self.color_brand_ink, self.color_brand, "color_brand_ink", _("Button text")),
            (self.color_header_ink, self.color_header, "color_header_ink", _("Header text")),
        ]
        errors: dict[str, list[ValidationError]] = {}
        for text, background, field, what in pairs:
            try:
                validate_hex(text), validate_hex(background)
            except ValidationError:
                continue  # the field's own validator says so
            if error := contrast_error(text, background, str(what)):
                errors.setdefault(field, []).append(error)
        if errors:
            raise ValidationError(errors)


class FooterLink(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=60)
    label_de = models.CharField(_("label (German)"), max_length=60, blank=True)
    url = models.URLField(_("address"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("footer link")
        verbose_name_plural = _("footer links")

    def __str__(self) -> str:
        return self.label

    @property
    def local_label(self) -> str:
        german = (get_language() or "").startswith("de")
        return self.label_de if german and self.label_de else self.label
