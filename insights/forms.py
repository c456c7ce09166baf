"""The period and forum the dashboard, its lists and the API report on, from the query
string. Dates are ISO (YYYY-MM-DD), as date inputs send them; the rules of a period
are insights.periods.period_validate, for the page and the API alike."""

import re
from collections.abc import Mapping
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community.models import Forum
from insights import periods

DATE_FORMAT = "%Y-%m-%d"
FORUM_ERROR = _("There is no forum with this slug or id.")
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
_ID = re.compile(r"[0-9]{1,18}")  # a bigint, not a database error


class ForumChoiceField(forms.ModelChoiceField):
    """A forum by its slug (how the select names it) or by its id. Anything else is
    refused before it reaches the database."""

    default_error_messages = {"invalid_choice": FORUM_ERROR}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Forum.objects.all())
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(**kwargs)

    def to_python(self, value) -> Forum | None:
        if value in self.empty_values:
            return None
        value = str(value)
        forum = None
        if _SLUG.fullmatch(value):
            forum = self.queryset.filter(slug=value).first()
        if forum is None and _ID.fullmatch(value):
            forum = self.queryset.filter(pk=int(value)).first()
        if forum is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return forum


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, e.g. 2025-03-31.")},
    )


class PeriodForm(forms.Form):
    """Fields `from`, `to` (both required) and `forum` (optional). Valid, cleaned_data has
    `period` (a periods.Period) and `forum` (a Forum or None)."""

    # `from` is a Python keyword: declared as `start`, renamed in __init__.
    start = _date_field(_("From"))
    to = _date_field(_("To"))
    forum = ForumChoiceField(label=_("Forum"), required=False, empty_label=_("All forums"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {("from" if name == "start" else name): f for name, f in self.fields.items()}

    @classmethod
    def for_query(cls, query: Mapping[str, str], *, today: date | None = None) -> "PeriodForm":
        """A bound form where a missing date is this month's first or last day (an empty
        one stays empty, and is refused)."""
        default = periods.this_month(today)
        data = {"from": default.start.isoformat(), "to": default.end.isoformat(), **query}
        return cls(data)

    def clean(self) -> dict:
        cleaned = super().clean()
        if "from" in cleaned and "to" in cleaned:
            try:
                cleaned["period"] = periods.period_validate(cleaned["from"], cleaned["to"])
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return cleaned
