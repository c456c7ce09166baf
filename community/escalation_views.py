"""The staff page of escalated questions (/staff/escalations/): those still waiting for an
answer, oldest first, and those answered lately, by a peer or by staff."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import roles
from community import escalation
from community.models import Forum
from community.views.common import forbidden_page

PER_PAGE = 50


@require_safe
@login_required
@forbidden_page
def escalations(request: HttpRequest) -> HttpResponse:
    if not roles.is_staff_member(request.user):
        raise PermissionDenied(_("Only the support team and moderators can see escalations."))
    forums = list(Forum.objects.only("name", "slug"))
    forum = next((f for f in forums if f.slug == request.GET.get("forum")), None)
    page = Paginator(escalation.escalated_unanswered(forum=forum), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "forums": forums,
        "forum": forum,
        "page": page,
        "answered": escalation.escalated_recently_answered(forum=forum),
    }
    return render(request, "community/escalations.html", context)
