"""The staff settlement pages (/staff/settlements/): thin views over
rewards.settlement.services and rewards.settlement.selectors, for support leads,
community managers and admins."""

import csv
import re
from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import roles
from core.errors import Conflict
from core.pagination import paginate
from core.views import permission_required_page
from rewards.models import Settlement
from rewards.settlement import selectors
from rewards.settlement import services as settlement

State = Settlement.State
PER_PAGE = 50
ALL = "all"
TABS = [
    (selectors.NEEDS_STAFF_TAB, gettext_lazy("Needs you")),
    (State.PENDING, gettext_lazy("Pending")),
    (State.SENT, gettext_lazy("Sent")),
    (State.FAILED, gettext_lazy("Failed")),
    (State.CONFIRMED, gettext_lazy("Confirmed")),
    (State.CANCELLED, gettext_lazy("Cancelled")),
    (ALL, gettext_lazy("All")),
]
TAB_KEYS = {key for key, _label in TABS}


official_required = permission_required_page(
    roles.is_official,
    gettext_lazy("Only support leads and community managers can see settlements."),
)


def _tab(value: str | None) -> str:
    return value if value in TAB_KEYS else selectors.NEEDS_STAFF_TAB


def _list_url(tab: str) -> str:
    return f"{reverse('rewards_settlement:list')}?{urlencode({'state': tab})}"


def _list_page(request: HttpRequest, *, month_error: str = "", status: int = 200) -> HttpResponse:
    tab = _tab(request.GET.get("state"))
    counts = selectors.settlement_counts()
    counts[ALL] = sum(counts[state] for state in State.values)
    settlements = selectors.settlement_list(state="" if tab == ALL else tab)
    context = {
        "tab": tab,
        "tabs": [(key, label, counts[key]) for key, label in TABS],
        # The count is known already: it saves a COUNT query.
        "page": paginate(request, settlements, per_page=PER_PAGE, count=counts[tab]),
        "month": request.GET.get("month") or f"{timezone.localdate():%Y-%m}",
        "month_error": month_error,
    }
    return render(request, "rewards/settlements.html", context, status=status)


@official_required
@require_safe
def settlement_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@official_required
@require_POST
def settlement_retry(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Settlement, pk=pk)
    try:
        settlement.settlement_retry(settlement=found, by=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The settlement will be sent again, with the same key."))
    return redirect(_list_url(_tab(request.POST.get("state"))))


@official_required
@require_http_methods(["GET", "POST"])
def settlement_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Settlement.objects.select_related("account__user"), pk=pk)
    tab = _tab(request.POST.get("state") or request.GET.get("state"))
    if request.method == "GET":
        if found.state == State.FAILED:
            context = {"settlement": found, "tab": tab}
            return render(request, "rewards/settlements_cancel.html", context)
        messages.error(request, _("Only a failed settlement can be cancelled."))
        return redirect(_list_url(tab))
    try:
        settlement.settlement_cancel(settlement=found, by=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The settlement is cancelled; its points are back on the member's account.")
        )
    return redirect(_list_url(tab))


def _month(value: str) -> date | None:
    found = re.fullmatch(r"(\d{4})-(\d{2})", value.strip())
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    return date(year, month, 1) if 1 <= month <= 12 and 2000 <= year < 9999 else None


class _Echo:
    """A file-like object csv.writer writes to, handing each line back to stream it."""

    def write(self, value: str) -> str:
        return value


@official_required
@require_safe
def settlement_export(request: HttpRequest) -> HttpResponse:
    month = _month(request.GET.get("month", ""))
    if month is None:
        error = _("Choose a month, for example %(example)s.") % {
            "example": f"{timezone.localdate():%Y-%m}"
        }
        return _list_page(request, month_error=error, status=400)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in selectors.settlement_csv_rows(month=month)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="settlements-{month:%Y-%m}.csv"'
    return response
