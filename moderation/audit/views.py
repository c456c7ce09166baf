"""The staff pages of the audit log (/staff/moderation/log/): browse and filter it, a
member's history and standing with the sanction forms, and deciding an appeal (the form
is included in the review queue's case page). Moderators act; support leads read."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from core.errors import Conflict
from core.forms import ServiceForm
from core.pagination import paginate
from core.views import permission_required_page
from moderation import cases, sanctions, trust
from moderation.actions import SUSPEND_DAYS_MAX
from moderation.appeals import services as appeals
from moderation.audit import services
from moderation.models import ActionKind, Appeal, TrustLevel

PER_PAGE = 50
SANCTIONS = ("warn", "suspend", "ban", "unban", "trust")


log_readers_only = permission_required_page(services.require_log_reader)
moderators_only = permission_required_page(cases.require_moderator)


class LogFilterForm(forms.Form):
    moderator = forms.ModelChoiceField(
        label=gettext_lazy("Moderator"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("Anyone"),
    )
    member = forms.CharField(
        label=gettext_lazy("Member"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("Email address or display name"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Action"),
        required=False,
        choices=[("", gettext_lazy("Any")), *ActionKind.choices],
    )
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["moderator"].queryset = services.moderators()

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end comes after the start."))
        return data


@log_readers_only
@require_safe
def log(request: HttpRequest) -> HttpResponse:
    form = LogFilterForm(request.GET)
    if form.is_valid():
        data = form.cleaned_data
        actions = services.actions_list(
            actor=data["moderator"],
            member_text=data["member"].strip(),
            kind=data["kind"],
            since=data["since"],
            until=data["until"],
        )
    else:
        actions = services.actions_list().none()
    return render(request, "moderation/log.html", {"form": form, "page": _page(request, actions)})


def _page(request: HttpRequest, actions):
    page = paginate(request, actions, per_page=PER_PAGE)
    for action in page:
        action.changes = services.changes(action)
    return page


class SanctionForm(ServiceForm):
    action = forms.ChoiceField(choices=[(name, name) for name in SANCTIONS])
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=500)
    days = forms.IntegerField(
        label=gettext_lazy("Days"), required=False, min_value=1, max_value=SUSPEND_DAYS_MAX
    )
    level = forms.TypedChoiceField(
        label=gettext_lazy("Trust level"),
        required=False,
        choices=[("", gettext_lazy("From activity and age")), *TrustLevel.choices],
        coerce=int,
        empty_value=None,
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "suspend" and not data.get("days") and "days" not in self.errors:
            self.add_error("days", _("For how many days?"))
        return data


def _sanction(data: dict, *, member, by):
    common = {"member": member, "by": by, "reason": data["reason"]}
    match data["action"]:
        case "warn":
            return sanctions.member_warn(**common)
        case "suspend":
            until = timezone.now() + timedelta(days=data["days"])
            return sanctions.member_suspend(**common, until=until)
        case "ban":
            return sanctions.member_ban(**common)
        case "unban":
            return sanctions.member_unban(**common)
        case _:
            return sanctions.trust_override_set(**common, level=data["level"])


def _may_sanction(user, member) -> bool:
    try:
        sanctions.require_may_sanction(member=member, by=user)
    except PermissionDenied:
        return False
    return True


def _member_page(request: HttpRequest, member, *, form=None, status: int = 200) -> HttpResponse:
    standing = trust.standing_of(member)
    context = {
        "member": member,
        "standing": standing,
        "trust_level": trust.trust_level(member, standing=standing),
        "suspended": sanctions.is_suspended(standing),
        "page": _page(request, services.actions_list(member=member)),
        "may_sanction": _may_sanction(request.user, member),
        "form": form,
        "levels": TrustLevel.choices,
        "days_max": SUSPEND_DAYS_MAX,
    }
    return render(request, "moderation/log_member.html", context, status=status)


@log_readers_only
@require_safe
def member(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_page(request, get_object_or_404(User, pk=pk))


@moderators_only
@require_POST
def sanction(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(User, pk=pk)
    form = SanctionForm(request.POST)
    if form.is_valid():
        try:
            _sanction(form.cleaned_data, member=found, by=request.user)
        except ValidationError as error:
            form.add_service_error(error)
        except Conflict as conflict:
            messages.error(request, conflict.message)
            return redirect("moderation_log:member", pk=found.pk)
        else:
            messages.success(request, _("Done. The member is told, and it is in the log."))
            return redirect("moderation_log:member", pk=found.pk)
    return _member_page(request, found, form=form, status=400)


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("uphold", "uphold"), ("overturn", "overturn")])
    note = forms.CharField(max_length=500)


def _back(request: HttpRequest, default: str) -> str:
    """Back to the page the form was on (the case page), when it is on this site."""
    url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else default


@moderators_only
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(Appeal.objects.select_related("action"), pk=pk)
    back = _back(request, reverse("moderation_log:member", args=[appeal.appellant_id]))
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose uphold or overturn, and tell the member why."))
        return redirect(back)
    overturn = form.cleaned_data["decision"] == "overturn"
    try:
        appeals.appeal_decide(
            appeal=appeal, by=request.user, overturn=overturn, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(
            request,
            _("Overturned: the decision is undone and the member is told.")
            if overturn
            else _("Upheld: the member is told."),
        )
    return redirect(back)
