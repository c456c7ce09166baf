from django.core.management.base import BaseCommand
from tqdm import tqdm

from community import search
from community.models import Question


class Command(BaseCommand):
    help = (
        "Index every question again for search, with its visible answers: after the "
        "search's analysis or ranking changed (the index is derived data). Searching "
        "goes on meanwhile; each batch of a thousand questions is replaced at once."
    )

    def handle(self, *args, verbosity: int, **options) -> None:
        questions = Question.objects.all()
        total = questions.count()
        with tqdm(total=total, unit=" questions", disable=verbosity < 1) as bar:
            search.index_questions(questions, progress=bar.update)
        self.stdout.write(f"Questions indexed: {total:,}")
