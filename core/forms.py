"""The base of every form that hands its data to a service, a list page's filter box and a
select of many options."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _


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


class FilterForm(forms.Form):
    """A list page's filter box (?q=, part of a name). A null character or an overlong
    text is a form error the page answers with 400, never a database error."""

    q = forms.CharField(label=_("Filter"), required=False, max_length=40)


class LongSelect(forms.Select):
    """A select of hundreds of plain options (time zones), rendered in Python: Django's
    Select renders a template per option, which took most of the settings page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, " selected" if str(v) == chosen else "", label) for v, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), options)
