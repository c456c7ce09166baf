import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from community.models import Forum
from demo import bulk
from demo.people import DEMO_PASSWORD
from demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Fill an empty database with a demo brand community: forums, German and English "
        "questions and answers, members and staff. Every demo account logs in with its "
        f"email address and the password '{DEMO_PASSWORD}'. With --scale, add generated "
        "data for benchmarks (1 = about 1,000 members and 10,000 posts)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (successfully) when the database already has forums.",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=0,
            help="Also generate bulk data: 1 = about 1,000 members and 10,000 posts; "
            "fractions such as 0.05 work too.",
        )

    def handle(self, *args, if_empty: bool, scale: float, verbosity: int, **options) -> None:
        if scale < 0:
            raise CommandError("--scale cannot be negative.")
        if Forum.objects.exists():
            if if_empty:
                self.stdout.write("The database already has forums: seed_demo left it as it is.")
                return
            raise CommandError(
                "The database already has forums. seed_demo only fills an empty database: "
                "use a fresh database, or --if-empty to skip quietly."
            )
        started = time.monotonic()
        people = seed_demo()
        self.stdout.write(f"Demo community seeded in {time.monotonic() - started:.1f} s.")
        if scale:
            started = time.monotonic()
            counts = bulk.generate(scale=scale, progress=verbosity > 0, log=self.stdout.write)
            summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
            self.stdout.write(f"Generated {summary} in {time.monotonic() - started:.1f} s.")
        self.stdout.write(self.style.SUCCESS(f"Log in with password '{DEMO_PASSWORD}' as:"))
        for person in people:
            role = "superuser" if person.superuser else person.role or "member"
            self.stdout.write(f"  {person.email:<28} {person.display_name} ({role})")
