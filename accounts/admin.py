from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.forms import DisplayNameField, validate_display_name_free
from accounts.models import User


def _clean_display_name(form) -> str:
    name = form.cleaned_data["display_name"]
    validate_display_name_free(name, exclude_pk=form.instance.pk)
    return name


# Staff choose display names by the members' rules, with the members' error messages.
class MemberChangeForm(UserChangeForm):
    display_name = DisplayNameField()
    clean_display_name = _clean_display_name


class MemberCreationForm(AdminUserCreationForm):
    display_name = DisplayNameField()
    clean_display_name = _clean_display_name


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Members log in with their email address; there is no username."""

    form = MemberChangeForm
    add_form = MemberCreationForm

    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "display_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "display_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
