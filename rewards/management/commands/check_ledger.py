from django.core.management.base import BaseCommand, CommandError

from rewards.ledger.check import accounts_count, ledger_differences

SHOWN = 1_000


class Command(BaseCommand):
    help = (
        "Checks the points ledger's invariants for every member (balances, lifetime points, "
        "settlement debits and cancels); exits 1 on any difference."
    )

    def handle(self, *args, **options):
        found = 0
        for found, line in enumerate(ledger_differences(), start=1):
            if found <= SHOWN:
                self.stderr.write(line)
        if found:
            more = f" (the first {SHOWN} shown)" if found > SHOWN else ""
            raise CommandError(f"ledger differences: {found}{more}", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"ledger OK: {accounts_count():,} accounts"))
