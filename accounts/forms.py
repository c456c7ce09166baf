import zoneinfo
from functools import cache

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts import avatars
from accounts.models import User
from core.forms import LongSelect
from privacy.signup import add_consent_fields


def validate_display_name_free(name: str, *, exclude_pk=None) -> None:
    users = get_user_model().objects.filter(display_name__iexact=name)
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    if users.exists():
        raise forms.ValidationError(_("This display name is taken. Please choose another."))


class DisplayNameField(forms.RegexField):
    """The public name of a member, the same wherever it is chosen or changed."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            label=_("Display name"),
            min_length=3,
            max_length=40,
            regex=r"^[\w.\- ]+$",
            error_messages={
                "invalid": _("Use letters, digits, spaces, dots, dashes or underscores.")
            },
            help_text=_("Shown next to everything you post. Your email address stays private."),
            **kwargs,
        )
        self.widget.attrs.setdefault("autocomplete", "nickname")

    def to_python(self, value) -> str:
        # Runs of whitespace would make names that look alike but differ.
        return " ".join(super().to_python(value).split())


class JoinFormMixin(forms.Form):
    """What every way of joining asks: a public display name and the consents
    (required purposes to tick, optional ones offered unticked)."""

    display_name = DisplayNameField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        add_consent_fields(self)

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        validate_display_name_free(name)
        return name


class SignupForm(JoinFormMixin, AllauthSignupForm):
    """allauth's signup form plus display name and consents."""

    field_order = ["email", "display_name", "password1", "password2"]


class DisplayNameForm(forms.Form):
    """A member changes their own display name."""

    display_name = DisplayNameField()

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        validate_display_name_free(name, exclude_pk=self.user.pk)
        return name


class ProfileForm(forms.ModelForm):
    """A member's bio, location and who may see them. Plain text: shown escaped."""

    class Meta:
        model = User
        fields = [
            "bio",
            "bio_visibility",
            "location",
            "location_visibility",
            "avatar_visibility",
            "listing_visibility",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "bio": _("Plain text, at most 500 characters."),
            "location": _("Optional, for example your town."),
            "avatar_visibility": _("Applies to the picture you upload below."),
            "listing_visibility": _(
                "The member directory and the lists of who earned a badge. “Only you”: "
                "you are not listed there."
            ),
        }


class AvatarForm(forms.Form):
    avatar = forms.FileField(
        label=_("Picture"),
        help_text=_(
            "JPEG, PNG, WebP or GIF, at most 5 MB. We keep a square copy without the "
            "photo's hidden data (such as where it was taken)."
        ),
        widget=forms.FileInput(
            attrs={"accept": ",".join(f"image/{name.lower()}" for name in avatars.FORMATS)}
        ),
    )


@cache
def _time_zones() -> list[tuple[str, str]]:
    """Read once per process: available_timezones() walks the time zone files."""
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class DeliveryForm(forms.Form):
    """The language of a member's emails and the time zone their daily digest follows."""

    language = forms.ChoiceField(label=_("Language of your emails"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_time_zones,
        widget=LongSelect,
        help_text=_("Daily digests arrive in the morning of this time zone."),
    )
