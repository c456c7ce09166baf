"""Invite to answer (/invite/<question>/): htmx swaps the small form on the question page;
without JavaScript a success goes back to the question with a message, and a refusal
shows the form again on a page of its own, with the reason and a fitting status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from community.models import Question, Visibility
from core.errors import Conflict, RateLimited
from core.htmx import vary_on_htmx
from notifications.invitations import services


def _form(request: HttpRequest, question: Question, *, status: int = 200, **context):
    """The form, as a fragment for htmx or as a page that also suggests experts."""
    context = {"question": question, "invite_open": True, **context}
    if request.htmx:
        return render(request, "notifications/_invite.html", context, status=status)
    experts = services.suggested_experts(question=question, inviter=request.user)
    return render(
        request, "notifications/invite.html", {**context, "experts": experts}, status=status
    )


def _status_and_reason(error: Exception) -> tuple[int, str]:
    if isinstance(error, RateLimited):
        return 429, error.message
    if isinstance(error, PermissionDenied):
        return 403, str(error)
    if isinstance(error, Conflict):
        return 409, error.message
    return 400, " ".join(error.messages)


def _refused(request: HttpRequest, question: Question, name: str, error: Exception):
    status, reason = _status_and_reason(error)
    response = _form(request, question, status=status, invite_error=reason, invitee_name=name)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


@vary_on_htmx
@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    # Not public: not found, so the page does not show a hidden question's title.
    question = get_object_or_404(
        Question.objects.select_related("forum"), pk=pk, visibility=Visibility.VISIBLE
    )
    if request.method != "POST":
        return _form(request, question)
    name = request.POST.get("invitee", "")
    try:
        invitation = services.invitation_create(
            inviter=request.user, question=question, invitee_name=name
        )
    except (ValidationError, PermissionDenied, Conflict) as error:
        return _refused(request, question, name, error)
    done = _("We told %(name)s about this question. Thank you!") % {
        "name": invitation.invitee.display_name
    }
    if request.htmx:
        return _form(request, question, invite_done=done)
    messages.success(request, done)
    return redirect(question)
