"""Flagging, for members (/flag/<kind>/<pk>/): the form, in place of the post's "Flag"
link with htmx or on a page of its own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from community.models import Comment, Question
from core.errors import Conflict, RateLimited
from core.htmx import vary_on_htmx
from core.views import forbidden_page
from moderation import selectors
from moderation.flags import services
from moderation.flags.forms import FlagForm

PK_MAX = 2**63 - 1


def _flag_target_or_404(kind: str, pk: int):
    try:
        if pk > PK_MAX:
            raise Question.DoesNotExist
        return selectors.flag_target(kind, pk)
    except ObjectDoesNotExist:
        raise Http404(_("Nothing to flag here.")) from None


def _page_of(target) -> str:
    """Where the flagged item is shown."""
    if isinstance(target, Comment):
        return target.answer.get_absolute_url()
    return target.get_absolute_url()


@vary_on_htmx
@login_required
@forbidden_page
def flag(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The flag form; htmx shows it in place of the post's "Flag" link and swaps the
    link's new state back in."""
    target = _flag_target_or_404(kind, pk)
    posted = request.method == "POST"
    form = FlagForm(request.POST if posted else None, auto_id=f"flag-{kind}-{pk}-%s")
    status = 200
    if posted and form.is_valid():
        try:
            services.flag_create(flagger=request.user, target=target, **form.cleaned_data)
        except ValidationError as invalid:
            form.add_service_error(invalid)
            status = 400
        except RateLimited as limited:
            form.add_error(None, limited.message)
            status = 429
        except Conflict:
            pass  # flagged before: the same outcome as now
        if status == 200:
            if request.htmx:
                return render(request, "moderation/_flag.html", {"target": target})
            messages.success(request, _("Thank you. A moderator will look at it."))
            return redirect(_page_of(target))
    elif posted:
        status = 400
    context = {"form": form, "target": target, "kind": kind, "back": _page_of(target)}
    template = "moderation/_flag_form.html" if request.htmx else "moderation/flag.html"
    return render(request, template, context, status=status)
