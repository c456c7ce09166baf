"""The fraud review queue: moderators and community managers release or reverse points
held as suspicious, one hold at a time or all holds of a pair of members."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import Conflict
from core.pagination import paginate
from core.views import permission_required_page
from rewards.fraud import selectors, services
from rewards.models import FraudHold

PAIRS_PER_PAGE = 20

reviewers_only = permission_required_page(services.require_reviewer)


@reviewers_only
def queue(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.fraud_pairs_open(), per_page=PAIRS_PER_PAGE)
    context = {"page": page, "pairs": selectors.fraud_review_pairs(page.object_list)}
    return render(request, "rewards/fraud_review.html", context)


def _decide(request: HttpRequest, holds) -> HttpResponse:
    action = request.POST.get("action")
    if action not in ("release", "reverse"):
        return HttpResponseBadRequest(_("Choose release or reverse."))
    try:
        if action == "release":
            count = services.fraud_holds_release(holds=holds, by=request.user)
            done = ngettext("Released %(count)d hold.", "Released %(count)d holds.", count)
        else:
            note = request.POST.get("note", "").strip()
            count = services.fraud_holds_reverse(holds=holds, by=request.user, note=note)
            done = ngettext("Reversed %(count)d hold.", "Reversed %(count)d holds.", count)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, done % {"count": count})
    return redirect("rewards_fraud:queue")


@require_POST
@reviewers_only
def hold_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, [get_object_or_404(FraudHold, pk=pk)])


@require_POST
@reviewers_only
def pair_decide(request: HttpRequest, account_id: int, counterpart_id: int) -> HttpResponse:
    """`counterpart_id` 0 stands for an erased counterpart."""
    holds = selectors.fraud_pair_holds(account_id=account_id, counterpart_id=counterpart_id or None)
    return _decide(request, holds)
