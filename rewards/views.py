"""The member's points page and the leaderboards: thin views over rewards.selectors."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from community import selectors as community_selectors
from core.pagination import paginate
from privacy.selectors import has_consent
from rewards import selectors
from rewards.forms import LeaderboardForm
from rewards.models import PointsTally

LEDGER_PER_PAGE = 25
LEADERBOARD_SIZE = 20


@login_required
def my_points(request: HttpRequest) -> HttpResponse:
    """Only ever the logged-in member's own points: the page takes no member id."""
    page = paginate(request, selectors.ledger_for(request.user), per_page=LEDGER_PER_PAGE)
    now = timezone.now()
    for entry in page:
        entry.state = selectors.entry_state(entry, now=now)
    context = {
        "summary": selectors.points_summary(request.user),
        "page": page,
        "badges": selectors.badges_for(request.user),
    }
    return render(request, "rewards/points.html", context)


def _month(period: str) -> date | None:
    if period == PointsTally.ALL_TIME:
        return None
    year, month = period.split("-")
    return date(int(year), int(month), 1)


def leaderboards(request: HttpRequest) -> HttpResponse:
    form = LeaderboardForm(request.GET)
    valid = form.is_valid()
    context = {
        "form": form,
        "forums": community_selectors.forum_list(),
        "this_month": selectors.this_month(),
        "last_month": selectors.last_month(),
        "listed": request.user.is_authenticated
        and has_consent(user=request.user, purpose_key=selectors.LEADERBOARD_PURPOSE),
    }
    if valid:
        period, forum = form.cleaned_data["period"], form.cleaned_data["forum"]
        context |= {
            "period": period,
            "month": _month(period),
            "forum": forum,
            "rows": selectors.leaderboard(period=period, forum=forum, limit=LEADERBOARD_SIZE),
        }
    return render(request, "rewards/leaderboards.html", context, status=200 if valid else 400)
