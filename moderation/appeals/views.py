"""A member's own page of the moderation decisions about them, and their appeals.
Nobody sees another member's decisions here: those pages answer 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from core.errors import Conflict
from core.forms import ServiceForm
from core.pagination import paginate
from moderation import sanctions, trust
from moderation.appeals import services
from moderation.audit import services as audit
from moderation.models import ModerationSettings

PER_PAGE = 20


class AppealForm(ServiceForm):
    text = forms.CharField(
        label=gettext_lazy("Why should the decision change?"),
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "You can appeal a decision once. Another moderator reads your appeal and "
            "decides; you will be told."
        ),
    )


@login_required
@require_safe
def decisions(request: HttpRequest) -> HttpResponse:
    settings = ModerationSettings.load()
    page = paginate(request, audit.decisions_about(request.user), per_page=PER_PAGE)
    for action in page:
        action.can_appeal = services.can_appeal(action, settings)
    standing = trust.standing_of(request.user)
    context = {"page": page, "standing": standing, "suspended": sanctions.is_suspended(standing)}
    return render(request, "moderation/decisions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(audit.decisions_about(request.user), pk=pk)
    settings = ModerationSettings.load()
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_file(action=action, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_service_error(error)
        except Conflict as conflict:
            messages.error(request, conflict.message)
            return redirect("decisions:detail", pk=action.pk)
        else:
            messages.success(request, _("Your appeal is filed. Another moderator will decide."))
            return redirect("decisions:detail", pk=action.pk)
    context = {
        "action": action,
        "form": form,
        "can_appeal": services.can_appeal(action, settings),
        "appealable_kind": action.kind in services.UNDO,
        "appeal_until": services.appeal_deadline(action, settings),
    }
    return render(request, "moderation/decisions_detail.html", context)
