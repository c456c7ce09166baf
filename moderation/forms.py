"""Forms for the moderators' actions; the services decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Forum
from community.rules import limit
from core.forms import ServiceForm
from moderation import actions
from moderation.models import CaseSource, FlagReason


def _reason_field(*, required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Reason (shown to the member)"),
        required=required,
        max_length=actions.REASON_MAX,
    )


class ReasonForm(ServiceForm):
    """Dismiss, approve, hide, restore, delete, lock, unlock: the service says whether
    the reason may be empty."""

    reason = _reason_field(required=False)


class EditForm(ServiceForm):
    """A moderator's edit, or the removal of personal data (`redact`)."""

    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    body = forms.CharField(
        label=_("Text"), max_length=limit("BODY_MAX"), strip=False, widget=forms.Textarea
    )
    reason = _reason_field(required=True)
    redact = forms.BooleanField(
        label=_("It exposes personal data: also delete the edit history"), required=False
    )


class MoveForm(ServiceForm):
    forum = forms.ModelChoiceField(label=_("Move to forum"), queryset=Forum.objects.all())
    reason = _reason_field(required=False)


def _days_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Suspend for (days)"),
        required=False,
        min_value=1,
        max_value=actions.SUSPEND_DAYS_MAX,
    )


SANCTIONS = [
    (actions.Sanction.WARN, _("Warn")),
    (actions.Sanction.SUSPEND, _("Suspend")),
    (actions.Sanction.BAN, _("Ban")),
]


class SanctionForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Sanction"), choices=SANCTIONS)
    days = _days_field()
    reason = _reason_field(required=True)


class AbuseForm(ServiceForm):
    reason = _reason_field(required=True)
    purge_member = forms.BooleanField(
        label=_("Remove all posts of this member and take back their points"), required=False
    )
    sanction = forms.ChoiceField(
        label=_("Sanction the author too"),
        choices=[("", _("no")), *SANCTIONS],
        required=False,
    )
    days = _days_field()


class QueueFilterForm(ServiceForm):
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("all")), *CaseSource.choices], required=False
    )
    reason = forms.ChoiceField(
        label=_("Flag reason"), choices=[("", _("all")), *FlagReason.choices], required=False
    )
