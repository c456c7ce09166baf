"""What privacy itself holds about a member, for export (Art. 15, 20) and erasure (Art. 17);
registered with core.gdpr like every other app's.

Consent records are exported and kept, without the link to the member, as proof that
consent was obtained. The member's export files are deleted and open exports closed;
the request log keeps a pseudonymous subject."""

from collections.abc import Iterable

from django.core.files.storage import storages
from django.db import transaction
from django.utils.translation import gettext_lazy

from core import gdpr
from privacy.models import ConsentRecord, PrivacyRequest
from privacy.requests import request_transition

CHUNK = 500


@gdpr.exporter(
    "consents.json",
    gettext_lazy(
        "Every consent you gave or withdrew: purpose, text version, granted or not, how, when."
    ),
    order=10,
    models=[ConsentRecord],
)
def consent_rows(user) -> Iterable[dict]:
    records = ConsentRecord.objects.filter(user=user).select_related("purpose")
    for r in records.order_by("created_at", "pk").iterator(chunk_size=CHUNK):
        yield {
            "purpose": r.purpose.key,
            "purpose_name": r.purpose.name,
            "version": r.version,
            "granted": r.granted,
            "method": r.method,
            "created_at": r.created_at,
        }


gdpr.retained(
    ConsentRecord,
    reason="Proof that consent was obtained (Art. 7(1), 5(2), 17(3)(e)): purpose, version, "
    "granted or withdrawn, when and how, with no link to the member (SET_NULL).",
)


@gdpr.eraser(order=20, models=[PrivacyRequest])
def exports_erase(user) -> None:
    """Deletes export files after commit and closes open exports."""
    Kind, State = PrivacyRequest.Kind, PrivacyRequest.State
    for request in PrivacyRequest.objects.filter(user=user, kind=Kind.EXPORT):
        if request.file_name:
            name = request.file_name
            transaction.on_commit(lambda name=name: storages["exports"].delete(name))
        if request.state in (State.QUEUED, State.BUILDING, State.READY) or request.file_name:
            request_transition(
                request=request, state=State.EXPIRED, note="member erased", file_name=""
            )


gdpr.not_exported(
    PrivacyRequest,
    reason="The member's own export and erasure requests: the export and erasure pages "
    "show their state, and an export cannot describe the request that builds it.",
)
gdpr.retained(
    PrivacyRequest,
    reason="Accountability for handling the member's rights (Art. 5(2)): dates and states "
    "under a pseudonymous subject (member-<hash>), no link to the member (SET_NULL).",
)
