"""Admin for rewards: fraud holds and household signals, read-only. Holds are decided on
the fraud review page (/staff/fraud-review/), which writes the ledger's reversals."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from rewards.models import FraudHold, HouseholdSignal


@admin.register(FraudHold)
class FraudHoldAdmin(ReadOnlyAdmin):
    list_display = ["entry", "reason", "state", "counterpart", "created_at", "decided_by"]
    list_filter = ["state", "reason"]
    list_select_related = ["entry", "counterpart", "decided_by"]
    date_hierarchy = "created_at"


@admin.register(HouseholdSignal)
class HouseholdSignalAdmin(ReadOnlyAdmin):
    """The digests are left out: they mean nothing to a person and are only compared."""

    list_display = ["user", "kind", "last_seen"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    fields = ["user", "kind", "last_seen"]
