"""The contact page (/contact/): suggestions while the subject is typed, "This solved it"
and "I still need help"; and the support leads' list of contact requests.

A visit's id lives in the session (for visitors the session is created here: the cookie
is strictly necessary for the page to work). Every step works without JavaScript; htmx
only refreshes the suggestions while the customer types."""

from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from community.selectors import visible_questions
from core.errors import Conflict
from core.pagination import paginate
from core.views import forbidden_page, permission_required_page
from insights import proof
from insights.contact import services
from insights.contact.forms import ContactForm, SubjectForm
from insights.models import ContactRequest, EventKind
from insights.permissions import can_see_insights

VISIT = "insights_contact_visit"
PER_PAGE = 50


def _visit(request: HttpRequest) -> str:
    """The current visit, started (with the visitor's session) if there is none."""
    visit = request.session.get(VISIT)
    if not services.visit_valid(visit or ""):
        visit = request.session[VISIT] = services.visit_new()
    if not request.session.session_key:
        request.session.save()
    return visit


def _visit_end(request: HttpRequest, visit: str) -> None:
    """The next page view starts a new visit."""
    if request.session.get(VISIT) == visit:
        del request.session[VISIT]


def _suggestions(request: HttpRequest, subject: str) -> dict:
    """The context of insights/_contact_suggestions.html."""
    subject = subject.strip()[: services.SUBJECT_MAX]
    suggestions = [
        replace(
            suggestion,
            proof=proof.proof_for_visitor(
                request, question_id=suggestion.question.pk, kind=EventKind.CONTACT_DEFLECTED
            ),
        )
        for suggestion in (services.contact_suggestions(subject) if subject else [])
    ]
    return {
        "suggestions": suggestions,
        # "Nothing matches" is said of a subject, not of the first letters typed.
        "searched": len(subject) >= services.SUBJECT_MIN,
        "visit": _visit(request),
    }


def _page(request: HttpRequest, *, details: bool, form, subject: str) -> HttpResponse:
    context = {
        "form": form,
        "details": details,
        "retention_days": settings.CONTACT_RETENTION_DAYS,
        **_suggestions(request, subject),
    }
    return render(request, "insights/contact.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@forbidden_page
def start(request: HttpRequest) -> HttpResponse:
    """GET: the subject (and suggestions for it), or with step=details the full form.
    POST: the request."""
    if request.method == "POST":
        return _submit(request)
    subject = " ".join(request.GET.get("subject", "").split())[: services.SUBJECT_MAX]
    initial = {"subject": subject, "topic": request.GET.get("topic", "")}
    details = request.GET.get("step") == "details"
    if details:
        form = ContactForm(initial=initial, user=request.user)
    else:
        form = SubjectForm(initial=initial)
    return _page(request, details=details, form=form, subject=subject)


def _submit(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        _visit(request)  # a session for the per-session limit
        try:
            services.contact_submit(
                visit=data["visit"],
                session_key=request.session.session_key,
                user=request.user,
                subject=data["subject"],
                message=data["message"],
                name=data["name"],
                email=data["email"],
                forum=data["topic"],
            )
        except ValidationError as invalid:
            form.add_service_error(invalid)
        else:
            _visit_end(request, data["visit"])
            return redirect("contact:sent")
    subject = form.cleaned_data.get("subject", "")
    return _page(request, details=True, form=form, subject=subject)


@require_safe
def suggestions(request: HttpRequest) -> HttpResponse:
    """The suggestions for the subject being typed (a fragment for htmx)."""
    context = _suggestions(request, request.GET.get("subject", ""))
    return render(request, "insights/_contact_suggestions.html", context)


@require_POST
@forbidden_page
def solved(request: HttpRequest, pk: int) -> HttpResponse:
    """Saying "This solved it" ends the visit as a deflection."""
    question = get_object_or_404(visible_questions(), pk=pk)
    visit = request.POST.get("visit", "")
    if not services.visit_valid(visit):
        messages.error(request, _("This page has expired. Please choose the answer again."))
        return redirect("contact:start")
    try:
        visitor = proof.anonymous_visitor(
            request,
            request.user,
            proof=request.POST.get("proof", ""),
            question_id=question.pk,
            kind=EventKind.CONTACT_DEFLECTED,
        )
        services.contact_deflect(
            visit=visit,
            question=question,
            user=request.user,
            visitor=visitor,
            network=proof.network_of_request(request),
        )
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
        return redirect("contact:start")
    _visit_end(request, visit)
    return redirect("contact:thanks", pk=question.pk)


@require_safe
def thanks(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(visible_questions().select_related("accepted_answer"), pk=pk)
    answer = question.accepted_answer
    context = {"question": question, "answer": answer if answer and answer.is_visible else None}
    return render(request, "insights/contact_thanks.html", context)


@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/contact_sent.html")


# --- For support leads ----------------------------------------------------------------


support_leads_only = permission_required_page(
    can_see_insights, gettext_lazy("Only support leads and community managers can see this.")
)


@require_safe
@support_leads_only
def requests_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, services.contact_requests(), per_page=PER_PAGE)
    context = {"page": page, "State": ContactRequest.State}
    return render(request, "insights/contact_requests.html", context)


@require_POST
@support_leads_only
def request_retry(request: HttpRequest, pk: int) -> HttpResponse:
    contact_request = get_object_or_404(ContactRequest, pk=pk)
    try:
        services.contact_retry(contact_request=contact_request)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, _("The request is being forwarded again."))
    return redirect("contact:requests")
