"""Search by the terms of search.analysis: on SQLite an FTS5 table of them; on both
databases every question indexed again (with its answers), which also fills the
vocabulary. The current code indexes, as `manage.py search_reindex` would: the index is
derived data, always made the way the code searches now."""

from django.db import migrations

FTS5 = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS community_question_fts"
    " USING fts5(title, body, answers, tokenize = 'unicode61 remove_diacritics 0')"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(FTS5)
    from community import search
    from community.models import Question

    search.index_questions(Question.objects.all())


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS community_question_fts")


class Migration(migrations.Migration):
    dependencies = [("community", "0010_kudos_change"), ("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
