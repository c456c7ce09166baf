"""The endpoint form of the staff pages; webhooks.services checks and saves (the admin
uses the same service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm
from webhooks.models import Endpoint, EventType


class EndpointForm(ServiceForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where your system receives the events: an https address on the internet."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What receives them, for you and your colleagues: “CRM”, “Ticketing”."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_(
            "An endpoint that is off gets nothing; what happens meanwhile is sent when it "
            "is on again (within the retention period)."
        ),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["active"]

    @classmethod
    def of(cls, endpoint: Endpoint) -> "EndpointForm":
        """Unbound, showing the endpoint as it is."""
        return cls(
            editing=True,
            initial={
                "url": endpoint.url,
                "description": endpoint.description,
                "events": endpoint.events,
                "active": endpoint.is_active,
            },
        )
