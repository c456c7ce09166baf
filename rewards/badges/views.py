from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.pagination import paginate
from rewards.badges import selectors
from rewards.models import Badge

HOLDERS_PER_PAGE = 50


@require_safe
def badge_list(request: HttpRequest) -> HttpResponse:
    badges = selectors.badge_list(viewer=request.user)
    return render(request, "rewards/badges.html", {"badges": badges})


@require_safe
def badge_detail(request: HttpRequest, key: str) -> HttpResponse:
    try:
        badge = selectors.badge_with_count(key=key)
    except Badge.DoesNotExist:
        raise Http404 from None
    holders = selectors.badge_holders(viewer=request.user, badge=badge)
    page = paginate(request, holders, per_page=HOLDERS_PER_PAGE)
    return render(request, "rewards/badge.html", {"badge": badge, "page": page})
