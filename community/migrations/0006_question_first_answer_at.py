from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery


def first_answers_backfill(apps, schema_editor):
    """One set-based UPDATE: the earliest visible answer of every question."""
    Question = apps.get_model("community", "Question")
    Answer = apps.get_model("community", "Answer")
    first = (
        Answer.objects.filter(question=OuterRef("pk"), visibility="visible")
        .values("question")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    Question.objects.filter(answer_count__gt=0).update(first_answer_at=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [("community", "0005_comment_author_index")]

    operations = [
        migrations.AddField(
            model_name="question",
            name="first_answer_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(first_answers_backfill, migrations.RunPython.noop),
    ]
