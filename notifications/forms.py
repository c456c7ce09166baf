from django import forms

from accounts import roles
from notifications import kinds
from notifications.models import Channel, Kind


class PreferencesForm(forms.Form):
    """One channel per kind; kinds for staff only are offered to staff."""

    def __init__(self, *args, user, channels: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        staff = roles.is_staff_member(user)
        for kind, label in Kind.choices:
            if kinds.SPECS[kind].staff_only and not staff:
                continue
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Channel.choices,
                initial=channels[kind],
                widget=forms.RadioSelect,
            )
