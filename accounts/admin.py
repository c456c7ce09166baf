from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.customer_link import services as customer_link
from accounts.emails import email_normalize, validate_email_free
from accounts.forms import DisplayNameField, validate_display_name_free
from accounts.models import CustomerAccountLink, CustomerLinkIssue, User
from core.admin import ReadOnlyAdmin
from core.errors import Conflict
from privacy.erasure import services as erasure


def _clean_display_name(form) -> str:
    name = form.cleaned_data["display_name"]
    validate_display_name_free(name, exclude_pk=form.instance.pk)
    return name


def _clean_email(form) -> str:
    # A form error, not a 500 from the database's constraint, for an address taken in
    # another case.
    email = email_normalize(form.cleaned_data["email"])
    validate_email_free(email, exclude_pk=form.instance.pk)
    return email


# Staff choose display names by the members' rules, with the members' error messages.
class MemberChangeForm(UserChangeForm):
    display_name = DisplayNameField()
    clean_display_name = _clean_display_name
    clean_email = _clean_email


class MemberCreationForm(AdminUserCreationForm):
    display_name = DisplayNameField()
    clean_display_name = _clean_display_name
    clean_email = _clean_email


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Members log in with their email address; there is no username."""

    form = MemberChangeForm
    add_form = MemberCreationForm

    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "display_name",
                    ("bio", "bio_visibility"),
                    ("location", "location_visibility"),
                    ("avatar_preview", "avatar_visibility"),
                )
            },
        ),
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
    # Who sees a field is the member's choice; staff may only clear offending content.
    readonly_fields = (
        "last_login",
        "date_joined",
        "avatar_preview",
        "bio_visibility",
        "location_visibility",
        "avatar_visibility",
    )
    actions = ["remove_avatars", "erase_now"]

    @admin.display(description=_("picture"))
    def avatar_preview(self, obj: User) -> str:
        url = obj.avatar_url(64)
        return format_html('<img src="{}" alt="" width="64" height="64">', url) if url else "-"

    @admin.action(description=_("Remove the picture of the selected members"))
    def remove_avatars(self, request, queryset) -> None:
        members = list(queryset.exclude(avatar={}))
        for member in members:
            services.avatar_remove(user=member)
        count = len(members)
        self.message_user(
            request,
            ngettext("Removed %(count)d picture.", "Removed %(count)d pictures.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Erase the selected members now (no grace period)"))
    def erase_now(self, request, queryset):
        """The same code path as `manage.py erase_member`, after a confirmation page."""
        members = list(queryset)
        if "confirm" not in request.POST:
            context = {**self.admin_site.each_context(request), "members": members,
                       "opts": self.model._meta, "action": "erase_now"}  # fmt: skip
            return TemplateResponse(request, "admin/accounts/erase_confirm.html", context)
        for member in members:
            erasure.erase_now(user=member, by=request.user)
        self.message_user(
            request,
            ngettext("Erased %(count)d member.", "Erased %(count)d members.", len(members))
            % {"count": len(members)},
            messages.SUCCESS,
        )
        return None


@admin.register(CustomerAccountLink)
class CustomerAccountLinkAdmin(ReadOnlyAdmin):
    """Links change only through accounts.customer_link: staff confirm pending ones here."""

    list_display = ("customer_number", "user", "state", "method", "created_at", "verified_at")
    list_filter = ("state", "method")
    search_fields = ("customer_number",)
    list_select_related = ("user",)
    exclude = ("code_hash",)
    actions = ["confirm_verified"]

    @admin.action(description=_("Confirm the selected customer numbers as verified"))
    def confirm_verified(self, request, queryset) -> None:
        confirmed = 0
        for link in queryset.filter(state=CustomerAccountLink.State.PENDING):
            try:
                customer_link.customer_link_confirm_by_staff(link=link, by=request.user)
            except (PermissionDenied, ValidationError, Conflict) as error:
                reason = " ".join(error.messages) if isinstance(error, ValidationError) else error
                self.message_user(request, f"{link.customer_number}: {reason}", messages.ERROR)
            else:
                confirmed += 1
        self.message_user(
            request,
            ngettext(
                "Confirmed %(count)d customer number.",
                "Confirmed %(count)d customer numbers.",
                confirmed,
            )
            % {"count": confirmed},
            messages.SUCCESS if confirmed else messages.WARNING,
        )


@admin.register(CustomerLinkIssue)
class CustomerLinkIssueAdmin(ReadOnlyAdmin):
    """Customer numbers the identity provider sent that were not linked (another
    member's, a change, invalid, no longer sent): staff look into each, then mark it
    resolved. A revoked link lets the next login link the number sent."""

    list_display = (
        "customer_number", "user", "kind", "provider", "times", "last_seen_at", "resolved_at",
    )  # fmt: skip
    list_filter = ("kind", ("resolved_at", admin.EmptyFieldListFilter), "provider")
    search_fields = ("customer_number", "user__email")
    list_select_related = ("user",)
    actions = ["resolve"]

    @admin.action(description=_("Mark the selected problems as resolved"))
    def resolve(self, request, queryset) -> None:
        try:
            count = customer_link.customer_link_issues_resolve(issues=queryset, by=request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("Resolved %(count)d problem.", "Resolved %(count)d problems.", count)
            % {"count": count},
            messages.SUCCESS,
        )
