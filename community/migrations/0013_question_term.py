"""Search by a posting table (QuestionTerm) on both databases, instead of a tsvector
column with a GIN index on PostgreSQL and an FTS5 table on SQLite: every question is
indexed again by the current code, as `manage.py search_reindex` does (the index is
derived data, always made the way the code searches now)."""

import django.db.models.deletion
from django.db import migrations, models


def index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS community_question_fts")
    if not apps.get_model("community", "Question").objects.exists():
        return  # a new database: nothing to index
    # Should the current models ever no longer fit this point of the history, leave this
    # out and run `manage.py search_reindex` after migrating.
    from community import search
    from community.models import Question

    search.index_questions(Question.objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0012_answer_official_index"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="question",
            name="search_vector",
        ),
        migrations.CreateModel(
            name="QuestionTerm",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "question_id",
                        "term",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("term", models.CharField(max_length=129)),
                ("impact", models.FloatField()),
                (
                    "question",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="community.question",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["term", "-impact", "question"], name="question_term_impact"
                    )
                ],
            },
        ),
        migrations.RunPython(index, migrations.RunPython.noop),
    ]
