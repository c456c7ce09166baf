from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community.models import Forum
from rewards import selectors
from rewards.models import PointsTally

PERIOD_ERROR = _("Choose all time or a month written like 2025-03.")
FORUM_ERROR = _("There is no such forum.")


class LeaderboardForm(forms.Form):
    """The leaderboard's filters from the query string; empty fields mean all time and
    the whole community."""

    period = forms.CharField(label=_("Month"), required=False, max_length=7)
    forum = forms.SlugField(
        label=_("Forum"), required=False, error_messages={"invalid": FORUM_ERROR}
    )

    def clean_period(self) -> str:
        period = self.cleaned_data["period"] or PointsTally.ALL_TIME
        if not selectors.is_period(period):
            raise ValidationError(PERIOD_ERROR, code="invalid")
        return period

    def clean_forum(self) -> Forum | None:
        slug = self.cleaned_data["forum"]
        if not slug:
            return None
        forum = Forum.objects.filter(slug=slug).first()
        if forum is None:
            raise ValidationError(FORUM_ERROR, code="unknown")
        return forum
