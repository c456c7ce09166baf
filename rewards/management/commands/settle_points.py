from collections import Counter

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum
from django.utils import timezone

from rewards.models import Settlement
from rewards.settlement import services as settlement


class Command(BaseCommand):
    help = (
        "Settles points to verified customer accounts now (what the daily beat task runs) "
        "and sends the credits to the billing gateway at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--key", help="Run key (default: today's date); a key already run settles nothing."
        )

    def handle(self, *args, key: str | None, **options):
        began = timezone.now()
        try:
            run = settlement.settlement_run(key=key, enqueue=False)
        except settlement.SettlementBusy as busy:
            raise CommandError(busy.message) from busy
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        cents = run.settlements.aggregate(total=Sum("amount_cents"))["total"] or 0
        earlier = " (already run earlier: nothing new settled)" if run.started_at < began else ""
        self.stdout.write(
            f"Run {run.key}{earlier}: {run.settlement_count:,} settlements, "
            f"{run.points_total:,} points, EUR {cents / 100:,.2f}."
        )
        pending = list(
            run.settlements.filter(state=Settlement.State.PENDING).values_list("pk", flat=True)
        )
        sent: Counter = Counter()
        for start in range(0, len(pending), settlement.SEND_CHUNK):
            sent += settlement.settlements_send(ids=pending[start : start + settlement.SEND_CHUNK])
        self.stdout.write(
            f"Sent {sum(sent.values()):,}: {sent[Settlement.State.CONFIRMED]:,} confirmed, "
            f"{sent[Settlement.State.SENT]:,} awaiting an answer (resent by the sweep), "
            f"{sent[Settlement.State.FAILED]:,} failed."
        )
