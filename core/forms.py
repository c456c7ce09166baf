"""The base of every form that hands its data to a service."""

from django import forms
from django.core.exceptions import ValidationError


class ServiceForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's ValidationError next to the field it names."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)
