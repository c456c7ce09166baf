from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from privacy.erasure.services import erase_now


class Command(BaseCommand):
    help = "Erases a member at once, without grace period (the same code path as a request)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--delete-posts",
            action="store_true",
            help="Also delete their posts (accepted answers stay, anonymised).",
        )

    def handle(self, *args, email: str, delete_posts: bool, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No member with the email address {email!r}.")
        erase_now(user=user, delete_posts=delete_posts)
        self.stdout.write(self.style.SUCCESS("The member has been erased."))
