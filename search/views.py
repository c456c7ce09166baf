"""The content gaps: what customers searched for and did not find."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.views import permission_required_page
from search import log

DAYS = (7, 30, 90)


@permission_required_page(
    "search.view_searchlog", _("Only support leads and community managers see the searches.")
)
@require_safe
def content_gaps(request: HttpRequest) -> HttpResponse:
    days = request.GET.get("days", "30")
    days = int(days) if days in {str(d) for d in DAYS} else 30
    return render(
        request,
        "search/gaps.html",
        {"gaps": log.content_gaps(days=days), "days": days, "choices": DAYS},
    )
