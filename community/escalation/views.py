"""The staff page of escalated questions (/staff/escalations/): those still waiting for an
answer, oldest first, and those answered lately, by a peer or by staff."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from accounts import roles
from community.escalation import services
from community.models import Forum
from core.pagination import paginate
from core.views import permission_required_page

PER_PAGE = 50


@require_safe
@permission_required_page(
    roles.is_staff_member,
    gettext_lazy("Only the support team and moderators can see escalations."),
)
def escalations(request: HttpRequest) -> HttpResponse:
    forums = list(Forum.objects.only("name", "slug"))
    forum = next((f for f in forums if f.slug == request.GET.get("forum")), None)
    page = paginate(request, services.escalated_unanswered(forum=forum), per_page=PER_PAGE)
    context = {
        "forums": forums,
        "forum": forum,
        "page": page,
        "answered": services.escalated_recently_answered(forum=forum),
    }
    return render(request, "community/escalations.html", context)
