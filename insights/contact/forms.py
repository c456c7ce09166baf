"""The contact page's forms: the subject (with suggestions while it is typed) and, after
"I still need help", the request itself."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from community.models import Forum
from core.forms import ServiceForm
from insights.contact import services


def _topic_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Forum.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Not sure / other"),
        error_messages={"invalid_choice": _("Choose one of the topics in the list.")},
    )


def _subject_field() -> forms.CharField:
    return forms.CharField(
        label=_("Subject"),
        min_length=services.SUBJECT_MIN,
        max_length=services.SUBJECT_MAX,
        help_text=_("In a few words, e.g. “Router loses Wi-Fi every night”."),
        # Suggest community answers while the customer types.
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "hx-get": reverse_lazy("contact:suggestions"),
                "hx-trigger": "keyup changed delay:300ms",
                "hx-target": "#contact-suggestions",
                "hx-sync": "this:replace",
            }
        ),
    )


class SubjectForm(ServiceForm):
    """The first step, sent by GET: suggestions for the subject, or the full form."""

    subject = _subject_field()
    topic = _topic_field()


class ContactForm(ServiceForm):
    subject = _subject_field()
    topic = _topic_field()
    name = forms.CharField(label=_("Your name"), max_length=services.NAME_MAX)
    email = forms.EmailField(
        label=_("Your email address"), help_text=_("The support team answers you there.")
    )
    message = forms.CharField(
        label=_("How can we help?"),
        min_length=services.MESSAGE_MIN,
        max_length=services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # The template writes the session's current visit; its errors show above the form.
    visit = forms.CharField(required=False, widget=forms.HiddenInput)
    field_order = ["subject", "topic", "name", "email", "message", "visit"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            # A member writes as themselves: the answer goes to their account's address.
            self.fields["name"].initial = user.display_name
            self.fields["email"].initial = user.email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _(
                "The address of your account; the support team answers you there."
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        if not services.visit_valid(cleaned.get("visit", "")):
            self.add_error(None, _("This form has expired. Please send it again."))
        return cleaned
