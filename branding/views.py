"""The brand's colours as CSS custom properties, and the imprint page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from branding.selectors import current

YEAR = 365 * 24 * 3600


@require_GET
def brand_css(request: HttpRequest) -> HttpResponse:
    """Loaded after peerdesk.css, under the brand's version (?v=): kept a year by
    browsers and CDNs, a new address after every change."""
    colors = current().colors
    css = (
        ":root{"
        f"--brand:{colors['color_brand']};--brand-ink:{colors['color_brand_ink']};"
        f"--header:{colors['color_header']};--header-ink:{colors['color_header_ink']};"
        f"--header-link:{colors['color_header_ink']}"
        "}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


@require_GET
def imprint(request: HttpRequest) -> HttpResponse:
    brand = current()
    if not brand.imprint:
        raise Http404(_("This community has no imprint yet."))
    return render(request, "branding/imprint.html", {"imprint": brand.imprint})
