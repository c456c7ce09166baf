"""The brand as pages and emails use it, kept in the cache: read on every page, changed
a few times a year (forgotten when the brand or a footer link is saved)."""

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse

from branding.models import Brand, FooterLink

KEY = "brand"
DEFAULT_COLORS = {
    field.name: field.default for field in Brand._meta.fields if field.name.startswith("color_")
}


@dataclass(frozen=True)
class Link:
    label: str
    label_de: str
    url: str


@dataclass(frozen=True)
class BrandView:
    name: str
    logo_url: str = ""
    favicon_url: str = ""
    colors: dict = field(default_factory=lambda: dict(DEFAULT_COLORS))
    imprint: str = ""
    privacy_policy_url: str = ""
    email_sender_name: str = ""
    links: tuple[Link, ...] = ()
    version: int = 0

    @property
    def custom_colors(self) -> bool:
        return self.colors != DEFAULT_COLORS

    @property
    def sender_name(self) -> str:
        return self.email_sender_name or self.name

    @property
    def site_url(self) -> str:
        return settings.SITE_URL.rstrip("/")

    @property
    def site_address(self) -> str:
        """The community's host name, as people type it."""
        return urlsplit(settings.SITE_URL).netloc

    def absolute(self, url: str) -> str:
        """For emails: a media or page address with the site's scheme and host."""
        return urljoin(self.site_url + "/", url) if url else ""

    @property
    def logo_absolute_url(self) -> str:
        return self.absolute(self.logo_url)

    @property
    def privacy_url(self) -> str:
        return self.privacy_policy_url or reverse("privacy:text", args=["privacy"])


def current() -> BrandView:
    kept = cache.get(KEY)
    if kept is None:
        kept = _read()
        cache.set(KEY, kept, 3600)
    return kept


def _read() -> BrandView:
    brand = Brand.objects.prefetch_related("links").filter(pk=1).first()
    if brand is None:
        return BrandView(name=Brand._meta.get_field("name").default)
    return BrandView(
        name=brand.name,
        logo_url=brand.logo.url if brand.logo else "",
        favicon_url=brand.favicon.url if brand.favicon else "",
        colors={name: getattr(brand, name) for name in DEFAULT_COLORS},
        imprint=brand.imprint,
        privacy_policy_url=brand.privacy_policy_url,
        email_sender_name=brand.email_sender_name,
        links=tuple(Link(link.label, link.label_de, link.url) for link in brand.links.all()),
        version=int(brand.updated_at.timestamp()),
    )


@receiver(post_save, sender=Brand)
@receiver(post_delete, sender=Brand)
@receiver(post_save, sender=FooterLink)
@receiver(post_delete, sender=FooterLink)
def _forget(**kwargs) -> None:
    cache.delete(KEY)
