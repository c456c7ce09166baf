"""What insights holds about a member, for export (Art. 15, 20) and erasure (Art. 17).

Their contact requests are exported and erased. Deflection events keep no personal
data: a visitor is a hash under a salt thrown away after a day, and a member's link
(for the once-per-person rule) is cut on erasure, so the counts stay and name nobody.
Registered with core.gdpr."""

from django.db.models import Min
from django.utils.translation import gettext_lazy

from core import gdpr
from insights import rollups
from insights.models import ContactRequest, Event


@gdpr.exporter(
    "contact_requests.json",
    gettext_lazy(
        "What you sent to the support team from the contact page, and whether it was forwarded."
    ),
    order=70,
    models=[ContactRequest],
)
def contact_rows(user) -> list[dict]:
    requests = ContactRequest.objects.filter(user=user).select_related("forum")
    return [
        {
            "created_at": request.created_at,
            "subject": request.subject,
            "message": request.message,
            "topic": request.forum.name if request.forum else None,
            "state": request.state,
        }
        for request in requests.order_by("created_at", "pk")
    ]


@gdpr.eraser(order=60, models=[ContactRequest, Event])
def contact_erase(user) -> None:
    """Idempotent. Runs in the erasure's transaction, before the user row is deleted."""
    ContactRequest.objects.filter(user=user).delete()
    events = Event.objects.filter(user=user)
    # Their events now count as said by nobody in particular, on days maybe rolled up.
    rollups.events_invalidate(since=events.aggregate(at=Min("occurred_at"))["at"])
    events.update(user=None)


gdpr.not_exported(
    Event,
    reason="A deflection count: what happened and when; a member's link only serves the "
    "once-per-person rule and is cut on erasure.",
)
