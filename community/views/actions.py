"""Buttons and small forms on a thread. They post; htmx gets the updated fragment back,
a plain form post is redirected to where it came from with a message. A visitor's
"solved it too" form is also read (GET): it holds their proof of a page view."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from community import selectors, services
from community.forms import CommentForm
from community.models import Answer, Comment, Forum, Question
from core.errors import Conflict
from core.htmx import vary_on_htmx
from core.views import forbidden_page
from insights import proof
from insights.models import EventKind


def _done(
    request: HttpRequest, *, fragment: str, context: dict, error: str, success: str, back
) -> HttpResponse:
    """htmx swaps in the fragment, error included; a plain post goes back with a message."""
    if request.htmx:
        return render(request, fragment, {**context, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect(back)


def _kudos(request: HttpRequest, post: Question | Answer) -> HttpResponse:
    withdraw = "withdraw" in request.POST
    error, voted = "", not withdraw
    try:
        if withdraw:
            services.vote_withdraw(user=request.user, post=post)
        else:
            services.vote_cast(user=request.user, post=post)
    except Conflict as conflict:
        error = conflict.message
    except PermissionDenied as denied:
        if not request.htmx:
            raise
        error, voted = str(denied), withdraw  # htmx swaps no error page in
    post.refresh_from_db(fields=["vote_score"])
    return _done(
        request,
        fragment="community/_kudos.html",
        context={"post": post, "voted": voted, "kudos_url": request.path},
        error=error,
        success=_("Kudos withdrawn.") if withdraw else _("Thank you for your kudos!"),
        back=post,
    )


@vary_on_htmx
@require_POST
@forbidden_page
def question_kudos(request: HttpRequest, pk: int) -> HttpResponse:
    return _kudos(request, get_object_or_404(selectors.visible_questions(), pk=pk))


@vary_on_htmx
@require_POST
@forbidden_page
def answer_kudos(request: HttpRequest, pk: int) -> HttpResponse:
    return _kudos(request, get_object_or_404(selectors.visible_answers(), pk=pk))


def _solved_too_context(request: HttpRequest, question, *, marked: bool) -> dict:
    """The form's context, with a fresh proof of this page view."""
    return {
        "question": question,
        "solved_too_marked": marked,
        "solved_too_proof": proof.proof_for_visitor(
            request, question_id=question.pk, kind=EventKind.SOLVED_TOO
        ),
    }


def _solved_too_form(request: HttpRequest, question) -> HttpResponse:
    """The form: loaded by a visitor's thread after the page (htmx), or as a page of its
    own without JavaScript."""
    marked = selectors.solved_too_marked(
        question=question, user=request.user, session=request.session
    )
    context = _solved_too_context(request, question, marked=marked)
    template = "community/_solved_too.html" if request.htmx else "community/solved_too.html"
    return render(request, template, context)


@vary_on_htmx
@require_http_methods(["GET", "HEAD", "POST"])
@forbidden_page
def solved_too(request: HttpRequest, pk: int) -> HttpResponse:
    """A visitor's mark counts only with the page's proof (insights.proof)."""
    question = get_object_or_404(selectors.visible_questions(), pk=pk)
    if request.method != "POST":
        return _solved_too_form(request, question)
    error, marked = "", True
    try:
        visitor = proof.anonymous_visitor(
            request,
            request.user,
            proof=request.POST.get("proof", ""),
            question_id=question.pk,
            kind=EventKind.SOLVED_TOO,
        )
        services.solved_too_mark(
            question=question,
            user=request.user,
            visitor=visitor,
            network=proof.network_of_request(request),
            session=request.session,
        )
    except Conflict as conflict:
        error = conflict.message  # marked before
    except ValidationError as invalid:
        error, marked = " ".join(invalid.messages), False
    except PermissionDenied as denied:  # the asker's own question, or a flood (429)
        if not request.htmx:
            raise
        error, marked = str(denied), False  # htmx swaps no error page in
    question.refresh_from_db(fields=["solved_too_count", "answer_count"])
    return _done(
        request,
        fragment="community/_solved_too.html",
        context=_solved_too_context(request, question, marked=marked),
        error=error,
        success=_("Glad it helped! Thank you for telling us."),
        back=question,
    )


def _follow(request: HttpRequest, target: Question | Forum) -> HttpResponse:
    stop = "stop" in request.POST
    if stop:
        services.follow_stop(user=request.user, target=target)
    else:
        services.follow_start(user=request.user, target=target)
    return _done(
        request,
        fragment="community/_follow.html",
        context={"following": not stop, "follow_url": request.path},
        error="",
        success=_("You no longer follow this.") if stop else _("You follow this now."),
        back=target,
    )


@vary_on_htmx
@require_POST
@forbidden_page
def question_follow(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow(request, get_object_or_404(selectors.visible_questions(), pk=pk))


@vary_on_htmx
@require_POST
@forbidden_page
def forum_follow(request: HttpRequest, slug: str) -> HttpResponse:
    return _follow(request, get_object_or_404(Forum, slug=slug))


@require_POST
@forbidden_page
def answer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(selectors.visible_answers(), pk=pk)
    services.answer_accept(answer=answer, by=request.user)
    messages.success(request, _("Answer accepted. Thank you for letting everyone know!"))
    return redirect(answer)


@require_POST
@forbidden_page
def answer_unaccept(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(selectors.visible_questions(), pk=pk)
    services.answer_unaccept(question=question, by=request.user)
    messages.success(request, _("The question is open again."))
    return redirect(question)


def _comment_saved(comment: Comment) -> str:
    if comment.is_visible:
        return _("Your comment is online.")
    return _("Thank you! A moderator reviews your comment before it is public.")


@vary_on_htmx
@require_POST
@forbidden_page
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(selectors.visible_answers().select_related("question"), pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_create(
                answer=answer, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied as denied:
            if not request.htmx:
                raise
            form.add_error(None, str(denied))  # htmx swaps no error page in
        else:
            if not request.htmx:
                messages.success(request, _comment_saved(comment))
                return redirect(answer)
            form = CommentForm()
    context = {"answer": answer, "question": answer.question, "comment_form": form}
    if request.htmx:
        context["comments"] = selectors.comments_for(answer, user=request.user)
        return render(request, "community/_comments.html", context)
    return render(request, "community/comment.html", context)
