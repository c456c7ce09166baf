"""The admin of webhooks: endpoints are saved through webhooks.services (the same rules
as the staff pages: https, public addresses, at least one event), secrets are rotated and
deliveries redelivered by actions that call the services too. Events, deliveries and
their attempts are the log: read only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.errors import Conflict
from webhooks import services
from webhooks.models import Attempt, Delivery, Endpoint, Event, EventType, Secret


class EndpointAdminForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "is_active"]

    def clean(self):
        cleaned = super().clean()
        try:
            services.endpoint_clean(
                url=cleaned.get("url", ""),
                description=cleaned.get("description", ""),
                events=cleaned.get("events", []),
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                if field not in self.errors:
                    self.add_error(field, errors)
        return cleaned


class SecretInline(admin.TabularInline):
    """When each secret was made and until when it signs; the values are on the staff
    page of the endpoint."""

    model = Secret
    fields = ["created_at", "expires_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointAdminForm
    list_display = ["__str__", "url", "is_active", "consecutive_failures", "disabled_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "description"]
    readonly_fields = ["consecutive_failures", "disabled_at", "disabled_reason", "created_at"]
    inlines = [SecretInline]
    actions = ["rotate_secret"]

    def save_model(self, request, obj, form, change):
        fields = {
            "url": form.cleaned_data["url"],
            "description": form.cleaned_data["description"],
            "events": form.cleaned_data["events"],
        }
        if change:
            updated = services.endpoint_update(
                endpoint=obj, by=request.user, active=form.cleaned_data["is_active"], **fields
            )
        else:
            updated = services.endpoint_create(
                by=request.user, active=form.cleaned_data["is_active"], **fields
            )
        obj.pk = updated.pk
        obj.refresh_from_db()

    @admin.action(description=_("Rotate the signing secret"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            services.secret_rotate(endpoint=endpoint, by=request.user)
        self.message_user(request, _("New secrets are in use; the old ones sign along for now."))


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ["started_at", "status", "duration_ms", "error", "response"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["uid", "event", "endpoint", "state", "attempts", "last_status", "created_at"]
    list_filter = ["state", "endpoint"]
    list_select_related = ["event", "endpoint"]
    search_fields = ["uid", "event__uid"]
    inlines = [AttemptInline]
    actions = ["redeliver"]

    @admin.action(description=_("Redeliver"))
    def redeliver(self, request, queryset):
        for delivery in queryset:
            try:
                services.delivery_redeliver(delivery=delivery, by=request.user)
            except (Conflict, PermissionDenied) as error:
                self.message_user(request, f"{delivery.uid}: {error}", messages.ERROR)
                return
        self.message_user(request, _("The deliveries are being sent again."))


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["uid", "type", "created_at"]
    list_filter = ["type"]
    search_fields = ["uid", "key"]
    exclude = ["members"]
