"""Forms parse what members type; the services decide whether it is acceptable."""

from django import forms
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from community.models import Forum
from community.rules import limit
from core.forms import ServiceForm


def _tags_help() -> str:
    return gettext("Up to %(n)d, separated by commas.") % {"n": limit("TAGS_MAX")}


class TagsField(forms.CharField):
    """Comma separated tag names in, a list of names out."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Tags"))
        # Lazy: fields are built at import, the language is chosen per request.
        kwargs.setdefault("help_text", lazy(_tags_help, str)())
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        return [name.strip() for name in super().to_python(value).split(",") if name.strip()]

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value


def _body_field(label, *, rows: int = 10, max_length: int | None = None) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length or limit("BODY_MAX"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class QuestionEditForm(ServiceForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=limit("QUESTION_TITLE_MAX"),
        help_text=_("Say what you need in one sentence, e.g. “Router loses Wi-Fi every night”."),
    )
    body = _body_field(_("Details"))
    tags = TagsField()


class AskForm(QuestionEditForm):
    forum = forms.ModelChoiceField(
        label=_("Forum"),
        queryset=Forum.objects.all(),
        to_field_name="slug",
        empty_label=_("Choose a forum"),
        error_messages={"invalid_choice": _("Choose one of the forums in the list.")},
    )
    field_order = ["forum", "title", "body", "tags"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Suggest similar questions while the member types the title.
        self.fields["title"].widget.attrs.update(
            {
                "autocomplete": "off",
                "hx-get": reverse("community:similar"),
                "hx-trigger": "keyup changed delay:400ms",
                "hx-target": "#similar-questions",
                "hx-sync": "this:replace",
            }
        )


class AnswerForm(ServiceForm):
    body = _body_field(_("Your answer"))


class CommentForm(ServiceForm):
    body = _body_field(_("Your comment"), rows=2, max_length=2000)


class SearchForm(forms.Form):
    """The search page's query and filters. Anything unknown or malformed is simply
    left out (a search is never refused): the cleaned data always make a search."""

    PERIODS = (
        ("", _("Any time")),
        ("7", _("Last week")),
        ("30", _("Last month")),
        ("365", _("Last year")),
    )
    SORTS = (("relevance", _("Best match")), ("newest", _("Newest")))

    q = forms.CharField(label=_("Words to look for"), required=False, max_length=1000)
    forum = forms.ModelChoiceField(
        Forum.objects.all(),
        label=_("Forum"),
        required=False,
        to_field_name="slug",
        empty_label=_("All forums"),
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=32)
    solved = forms.BooleanField(label=_("Solved only"), required=False)
    official = forms.BooleanField(label=_("With an official answer"), required=False)
    period = forms.ChoiceField(label=_("Asked"), choices=PERIODS, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def filters(self) -> dict:
        """The valid filters (an invalid field counts as not given)."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "forum": data["forum"].slug if data.get("forum") else "",
            "tag": data.get("tag", ""),
            "solved": data.get("solved", False),
            "official": data.get("official", False),
            "days": int(data["period"]) if data.get("period") else None,
            "sort": data.get("sort") or "relevance",
        }
