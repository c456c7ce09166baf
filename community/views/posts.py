"""Questions and answers: reading a thread, asking, answering, editing, edit history."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from community import rules, selectors, services
from community.forms import AnswerForm, AskForm, QuestionEditForm
from community.models import Answer, Question, Visibility
from community.rules import limit
from community.views.common import markdown_preview, preview, submit
from core.pagination import Deferred, paginate
from core.public_cache import cached_for_visitors
from core.views import forbidden_page


def _question_or_404(request: HttpRequest, pk: int) -> Question:
    """A question the member may see: a hidden one is not there for everyone else."""
    try:
        question = selectors.question_detail(pk, viewer=request.user)
    except Question.DoesNotExist:
        raise Http404(_("No such question.")) from None
    if not rules.can_see(user=request.user, post=question):
        raise Http404(_("No such question."))
    return question


def _answer_or_404(request: HttpRequest, pk: int) -> Answer:
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=pk)
    if not (
        rules.can_see(user=request.user, post=answer)
        and rules.can_see(user=request.user, post=answer.question)
    ):
        raise Http404(_("No such answer."))
    return answer


def _saved(online: str) -> Callable[[object], str]:
    """The message after saving a post: `online`, or that it waits for review."""
    return lambda post: (
        _("Thank you! A moderator reviews your post before it is public.")
        if post.visibility == Visibility.PENDING
        else online
    )


def _question_page(
    request: HttpRequest,
    question: Question,
    *,
    answer_form: AnswerForm | None = None,
    answer_preview: dict | None = None,
) -> HttpResponse:
    """The thread; the same number of queries whatever its length. A member with nothing
    of theirs in it gets the copy kept for such members (see `_shared_with`)."""
    user = request.user
    page = paginate(
        request,
        Deferred(lambda: selectors.answers_for(question, user=user)),
        per_page=limit("ANSWERS_PER_PAGE"),
        count=question.answer_count,
    )
    answers = page.object_list  # read only when the kept copy is stale
    shared = answer_form is None and _shared_with(request, question)
    voted_question, unlisted = False, []
    if user.is_authenticated and not shared:
        answers = list(answers)
        unlisted = selectors.unlisted_answers_for(question, user=user)
        _voted_questions, voted_answers = selectors.voted_ids(user=user, answers=answers)
        voted_question = question.viewer_voted
        for answer in [*answers, *unlisted]:
            answer.voted = answer.pk in voted_answers
            answer.editable = rules.can_edit(user=user, post=answer)
    context = {
        "question": question,
        "page": page,
        "answers": answers,
        "shared_with_members": shared,
        "unlisted_answers": unlisted,
        "can_moderate_thread": roles.is_moderator(user),
        "voted": voted_question,
        "editable": rules.can_edit(user=user, post=question),
        "can_accept": rules.can_accept(user=user, question=question),
        "following": getattr(question, "viewer_following", False),
        "solved_too_marked": getattr(question, "viewer_solved_too", False),
        "answer_form": answer_form or AnswerForm(),
        "preview": answer_preview,
    }
    return render(request, "community/question.html", context)


def _shared_with(request: HttpRequest, question: Question) -> bool:
    """Whether the thread shows this member what it shows every member with nothing of
    theirs in it: no post, kudos, flag, follow or "solved too" of theirs, no rights over
    it. Such a member's thread differs from another's only in the CSRF token, so it is
    kept (community_tags.kept_for_members). Most members reading a thread are such."""
    user = request.user
    if not user.is_authenticated or user.pk == question.author_id or roles.is_moderator(user):
        return False
    return not (
        question.viewer_voted
        or question.viewer_following
        or question.viewer_solved_too
        or question.viewer_involved
    )


def _thread_version(request: HttpRequest, pk: int) -> int | None:
    """What a visitor's copy of a thread is kept under (core.public_cache)."""
    return (
        Question.objects.filter(pk=pk, visibility=Visibility.VISIBLE)
        .values_list("version", flat=True)
        .first()
    )


@cached_for_visitors(version=_thread_version, params=("page",))
def question_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _question_page(request, _question_or_404(request, pk))


def answer_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An answer's permalink: the page of its thread that shows it (one that is not
    public is shown below the answers of every page)."""
    answer = _answer_or_404(request, pk)
    page = 1
    if answer.is_visible:
        page = (selectors.answer_position(answer) - 1) // limit("ANSWERS_PER_PAGE") + 1
    query = f"?page={page}" if page > 1 else ""
    return redirect(f"{answer.question.get_absolute_url()}{query}#answer-{answer.pk}")


@login_required
@forbidden_page
def ask(request: HttpRequest) -> HttpResponse:
    """Ask a question; with `then=invite` (a content gap's "Invite experts"), go on to
    invite the members who answered similar questions once it is online."""
    if request.method != "POST":
        form = AskForm(
            initial={"forum": request.GET.get("forum"), "title": request.GET.get("title", "")[:200]}
        )
        return render(request, "community/ask.html", {"form": form, "then": _then(request.GET)})
    form = AskForm(request.POST)
    then = _then(request.POST)
    saved = submit(
        request,
        form,
        lambda data: services.question_create(author=request.user, **data),
        success=_saved(_("Your question is online. We will tell you when someone answers.")),
        to=lambda question: (
            reverse("invitations:invite", args=[question.pk])
            if then and question.is_visible
            else question
        ),
    )
    context = {"form": form, "preview": preview(request), "then": then}
    return saved or render(request, "community/ask.html", context)


def _then(data) -> str:
    """Where to go after asking: only "invite" is known, so no address is taken."""
    return "invite" if data.get("then") == "invite" else ""


def _edit_page(request: HttpRequest, *, post, template: str, form_class, initial, save):
    """The edit page of a question or answer: the author's or a moderator's.
    `initial` is a callable, so a POST does not load what only the empty form shows."""
    if not rules.can_edit(user=request.user, post=post):
        raise PermissionDenied(_("You can only edit your own posts."))
    name = "question" if isinstance(post, Question) else "answer"
    if request.method != "POST":
        return render(request, template, {"form": form_class(initial=initial()), name: post})
    form = form_class(request.POST)
    saved = submit(request, form, save, success=_saved(_("Your changes have been saved.")))
    context = {"form": form, name: post, "preview": preview(request)}
    return saved or render(request, template, context)


@login_required
@forbidden_page
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question_or_404(request, pk)
    return _edit_page(
        request,
        post=question,
        template="community/question_edit.html",
        form_class=QuestionEditForm,
        initial=lambda: {
            "title": question.title,
            "body": question.body,
            "tags": [tag.name for tag in question.tags.all()],
        },
        save=lambda data: services.question_edit(question=question, by=request.user, **data),
    )


@require_POST
@forbidden_page
def answer_create(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question_or_404(request, pk)
    form = AnswerForm(request.POST)
    saved = submit(
        request,
        form,
        lambda data: services.answer_create(question=question, author=request.user, **data),
        success=_saved(_("Thank you for your answer!")),
    )
    return saved or _question_page(
        request, question, answer_form=form, answer_preview=preview(request)
    )


@login_required
@forbidden_page
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _answer_or_404(request, pk)
    return _edit_page(
        request,
        post=answer,
        template="community/answer_edit.html",
        form_class=AnswerForm,
        initial=lambda: {"body": answer.body},
        save=lambda data: services.answer_edit(answer=answer, by=request.user, **data),
    )


def question_history(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question_or_404(request, pk)
    return _history(request, post=question, question=question)


def answer_history(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _answer_or_404(request, pk)
    return _history(request, post=answer, question=answer.question)


def _history(request: HttpRequest, *, post: Question | Answer, question: Question) -> HttpResponse:
    context = {
        "post": post,
        "question": question,
        "is_question": post is question,
        "page": paginate(
            request, selectors.revisions_for(post), per_page=limit("ANSWERS_PER_PAGE")
        ),
    }
    return render(request, "community/history.html", context)


@require_POST
def preview_fragment(request: HttpRequest) -> HttpResponse:
    """The Preview button with htmx; without JavaScript the form's own page re-renders."""
    context = {"preview": markdown_preview(request.POST.get("body", ""))}
    return render(request, "community/_preview.html", context)
