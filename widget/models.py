"""The sites allowed to embed the widget: their origins get CORS headers on the widget's
JSON (widget.origins). The community's own origin is always allowed."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_normal(value: str) -> str:
    """`scheme://host[:port]` as a browser sends it in the Origin header: lower case, no
    default port, no path. Raises ValidationError for anything else (a path, a query,
    user info, another scheme)."""
    invalid = ValidationError(
        gettext("Enter an origin like https://help.example.com (no path)."), code="invalid"
    )
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        raise invalid from None
    if (
        parts.scheme not in DEFAULT_PORTS
        or not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise invalid
    host = parts.hostname
    if ":" in host:  # IPv6
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[parts.scheme]:
        host = f"{host}:{port}"
    return f"{parts.scheme}://{host}"


class AllowedOrigin(models.Model):
    origin = models.CharField(
        _("origin"),
        max_length=200,
        unique=True,
        help_text=_(
            "The address of a site that embeds the widget, without a path, e.g. "
            "https://help.example.com. The community's own address is always allowed."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["origin"]
        verbose_name = _("allowed origin")
        verbose_name_plural = _("allowed origins")

    def __str__(self) -> str:
        return self.origin

    def clean(self) -> None:
        try:
            self.origin = origin_normal(self.origin)
        except ValidationError as invalid:
            raise ValidationError({"origin": invalid}) from None
