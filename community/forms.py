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
