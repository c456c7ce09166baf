"""Once the FTS5 table of SQLite's search; superseded by the posting table of
0013_question_term, which drops that table where this made it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("community", "0010_kudos_change"), ("search", "0001_initial")]

    operations: list = []
