"""The forms of the customer-account page."""

from django import forms
from django.utils.translation import gettext_lazy


class CustomerNumberForm(forms.Form):
    customer_number = forms.CharField(
        label=gettext_lazy("Customer number"),
        max_length=60,
        help_text=gettext_lazy("You find it on your bill."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
