"""The review queue (/staff/moderation/) and its case pages, and the thread tools on a
question page: moderators only. Acting on a case another moderator holds answers 409
with the reason and changes nothing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from community.models import Question
from core.errors import Conflict
from core.htmx import vary_on_htmx
from core.pagination import paginate
from moderation import actions, cases, sanctions, selectors
from moderation.audit.views import moderators_only
from moderation.forms import (
    AbuseForm,
    EditForm,
    MoveForm,
    QueueFilterForm,
    ReasonForm,
    SanctionForm,
)
from moderation.models import Case, ModerationSettings
from moderation.trust import standing_of

CASES_PER_PAGE = 20
# The forms of the case page, by name.
FORMS = {
    "reason": ReasonForm,
    "edit": EditForm,
    "move": MoveForm,
    "abuse": AbuseForm,
    "sanction": SanctionForm,
}


@moderators_only
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, selectors.queue(**filters), per_page=CASES_PER_PAGE)
    minutes = ModerationSettings.load().claim_minutes
    for case in page.object_list:
        _described(case, minutes)
    context = {"form": form, "page": page, "claim_minutes": minutes}
    return render(request, "moderation/queue.html", context)


def _described(case: Case, minutes: int) -> Case:
    """selectors.describe, and `holder`: who holds an unexpired claim."""
    case.holder = cases.claim_holder(case, minutes=minutes)
    return selectors.describe(case)


def _case_or_404(pk: int) -> Case:
    try:
        case = selectors.case_detail(pk)
    except Case.DoesNotExist:
        raise Http404(_("No such case.")) from None
    return _described(case, ModerationSettings.load().claim_minutes)


def _forms(case: Case, bound=None) -> dict:
    """One form per action on the case page; `bound` (action, form) replaces one that
    came back with errors."""
    subject = case.subject
    question = selectors.question_of(subject)
    edit_initial = {"body": getattr(subject, "body", "")}
    if question is subject:
        edit_initial["title"] = question.title
    initial = {
        "edit": edit_initial,
        "move": {"forum": question.forum_id if question else None},
    }
    found = {
        name: form_class(initial=initial.get(name), auto_id=f"{name}-%s")
        for name, form_class in FORMS.items()
    }
    if question is not subject:
        found["edit"].fields.pop("title")
    if bound is not None:
        found[bound[0]] = bound[1]
    return found


def _case_page(request: HttpRequest, case: Case, *, bound=None, status: int = 200):
    standing = standing_of(case.author) if case.author is not None else None
    context = {
        "case": case,
        "flags": case.flags.all(),
        "is_profile": selectors.target_kind(case.subject) == "profile",
        "history": selectors.author_history(case.author),
        "standing": standing,
        "suspended": standing is not None and sanctions.is_suspended(standing),
        "claimed_by_other": case.holder is not None and case.holder.pk != request.user.pk,
        "forms": _forms(case, bound),
    }
    return render(request, "moderation/case.html", context, status=status)


@moderators_only
@require_safe
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _case_or_404(pk))


@moderators_only
@require_POST
def case_claim(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(pk)
    release = "release" in request.POST
    try:
        if release:
            cases.case_release(case=case, moderator=request.user)
        else:
            cases.case_claim(case=case, moderator=request.user)
    except Conflict as conflict:
        messages.error(request, conflict.message)
        return _case_page(request, case, status=409)
    if release:
        messages.success(request, _("The case is back in the queue."))
        return redirect("moderation:queue")
    messages.success(request, _("The case is yours."))
    return redirect("moderation:case", pk)


def _dismiss(case: Case, by, data: dict):
    return actions.case_dismiss(case=case, by=by, reason=data["reason"])


def _subject_action(function):
    """An action on the case's post: `function(post=, by=, reason=, case=)`."""
    return lambda case, by, data: function(
        post=case.subject, by=by, reason=data["reason"], case=case
    )


def _thread_of(case: Case) -> Question:
    question = selectors.question_of(case.subject)
    if question is None:
        raise ValidationError(_("This case is not about a thread."))
    return question


def _thread_action(function):
    return lambda case, by, data: function(
        question=_thread_of(case), by=by, reason=data["reason"], case=case
    )


def _edit(case: Case, by, data: dict):
    save = actions.post_redact if data["redact"] else actions.post_edit
    return save(
        post=case.subject,
        by=by,
        body=data["body"],
        title=data.get("title") or None,
        reason=data["reason"],
        case=case,
    )


def _move(case: Case, by, data: dict):
    return actions.thread_move(
        question=_thread_of(case),
        by=by,
        forum=data["forum"],
        reason=data["reason"],
        case=case,
    )


def _abuse(case: Case, by, data: dict):
    return actions.abuse_confirm(
        post=case.subject,
        by=by,
        reason=data["reason"],
        case=case,
        purge_member=data["purge_member"],
        sanction=data["sanction"],
        days=data["days"],
    )


def _sanction(case: Case, by, data: dict):
    return actions.member_sanction(
        member=case.author,
        by=by,
        kind=data["kind"],
        reason=data["reason"],
        days=data["days"],
        case=case,
    )


# action: (its form on the case page, what it does, what the moderator reads)
ACTIONS = {
    "dismiss": ("reason", _dismiss, gettext_lazy("Flags dismissed.")),
    "approve": ("reason", _subject_action(actions.post_approve), gettext_lazy("Approved.")),
    "hide": ("reason", _subject_action(actions.post_hide), gettext_lazy("Hidden.")),
    "restore": ("reason", _subject_action(actions.post_restore), gettext_lazy("Restored.")),
    "delete": ("reason", _subject_action(actions.post_delete), gettext_lazy("Removed.")),
    "lock": ("reason", _thread_action(actions.thread_lock), gettext_lazy("Thread locked.")),
    "unlock": ("reason", _thread_action(actions.thread_unlock), gettext_lazy("Thread unlocked.")),
    "edit": ("edit", _edit, gettext_lazy("Saved.")),
    "move": ("move", _move, gettext_lazy("Thread moved.")),
    "abuse": ("abuse", _abuse, gettext_lazy("Confirmed as spam or abuse.")),
    "sanction": ("sanction", _sanction, gettext_lazy("Done. The member is told.")),
}


@vary_on_htmx
@moderators_only
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Any action on a case. From a queue row (htmx) the row comes back with the outcome;
    otherwise the case page (errors, 409) or a redirect."""
    if action not in ACTIONS:
        raise Http404(_("No such action."))
    case = _case_or_404(pk)
    form_name, act, done = ACTIONS[action]
    form = FORMS[form_name](request.POST, auto_id=f"{form_name}-%s")
    if form_name == "edit" and selectors.question_of(case.subject) is not case.subject:
        form.fields.pop("title")
    error, status = "", 200
    if form.is_valid():
        try:
            act(case, request.user, form.cleaned_data)
        except Conflict as conflict:
            error, status = conflict.message, 409
        except ValidationError as invalid:
            form.add_service_error(invalid)
            status = 400
    else:
        status = 400
    if request.htmx:
        error = error or " ".join(e for errors in form.errors.values() for e in errors)
        context = {"case": case, "done": "" if error else done, "error": error}
        return render(request, "moderation/_queue_row.html", context)
    if status == 409:
        messages.error(request, error)
        return _case_page(request, case, status=409)
    if status == 400:
        return _case_page(request, case, bound=(form_name, form), status=400)
    messages.success(request, done)
    case.refresh_from_db(fields=["state"])
    if case.state == Case.State.CLOSED:
        return redirect("moderation:queue")
    return redirect("moderation:case", pk)


# --- The thread tools on a question page ----------------------------------------------


def _back_to_question(request: HttpRequest, question: Question, change) -> HttpResponse:
    try:
        change()
    except (Conflict, ValidationError) as refused:
        text = refused.message if isinstance(refused, Conflict) else " ".join(refused.messages)
        messages.error(request, text)
    else:
        messages.success(request, _("Done. It is in the moderation log."))
    return redirect(question)


@moderators_only
@require_POST
def thread_lock(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    unlock = "unlock" in request.POST
    act = actions.thread_unlock if unlock else actions.thread_lock
    reason = request.POST.get("reason", "")
    return _back_to_question(
        request, question, lambda: act(question=question, by=request.user, reason=reason)
    )


@moderators_only
@require_POST
def thread_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the forum to move the thread to."))
        return redirect(question)
    data = form.cleaned_data
    return _back_to_question(
        request,
        question,
        lambda: actions.thread_move(
            question=question, by=request.user, forum=data["forum"], reason=data["reason"]
        ),
    )
