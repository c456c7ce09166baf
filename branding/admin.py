"""The brand in the admin: one row, its logo and favicon made safe on upload."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from branding.images import sanitised
from branding.models import Brand, FooterLink
from core.admin import SingletonSettingsAdmin


class BrandForm(forms.ModelForm):
    class Meta:
        model = Brand
        fields = [
            "name",
            "logo",
            "favicon",
            "color_brand",
            "color_brand_ink",
            "color_header",
            "color_header_ink",
            "imprint",
            "privacy_policy_url",
            "email_sender_name",
        ]

    def _image(self, field: str, size: int):
        upload = self.cleaned_data.get(field)
        if not upload or upload == getattr(self.instance, field):
            return upload  # unchanged or cleared
        return sanitised(upload, name=field, size=size)

    def clean_logo(self):
        return self._image("logo", size=512)

    def clean_favicon(self):
        return self._image("favicon", size=192)


class FooterLinkInline(admin.TabularInline):
    model = FooterLink
    extra = 1
    fields = ["label", "label_de", "url", "position"]


@admin.register(Brand)
class BrandAdmin(SingletonSettingsAdmin):
    form = BrandForm
    inlines = [FooterLinkInline]
    fieldsets = [
        (None, {"fields": ["name", "logo", "favicon"]}),
        (
            _("Colours"),
            {
                "fields": ["color_brand", "color_brand_ink", "color_header", "color_header_ink"],
                "description": _("Each text colour needs a contrast of at least 4.5:1."),
            },
        ),
        (_("Legal"), {"fields": ["imprint", "privacy_policy_url"]}),
        (_("Emails"), {"fields": ["email_sender_name"]}),
    ]
