"""Control characters out of the posts written before every text was cleaned on the way in
(core.text.clean_text, called by community.rules). Search marks its matches with \\x02 and
\\x03, so a title holding them put <mark> tags around text that did not match.

Only rows holding a control character (or a carriage return) are read and written; their
HTML is rendered again, and their threads' cached parts renewed (the search index is
made again from the clean texts by 0013_question_term). Revisions keep the text as it
was: they are history, never changed."""

from django.db import migrations
from django.db.models import F, Q

from community.markdown import render_markdown
from core.text import clean_text

# What clean_text removes or rewrites, for the database to find (NUL cannot be stored).
CONTROL = r"[\x01-\x08\x0b-\x1f\x7f-\x9f]"
BATCH = 500


def _clean_title(title: str) -> str:
    return " ".join(clean_text(title).split())  # as community.rules.clean_title


def _clean(model, fields: list[str], thread: str) -> set[int]:
    """Cleans `fields` (and body_html) of the rows holding a control character; returns
    the values of their field `thread` (their question's or answer's id)."""
    found = Q()
    for field in fields:
        found |= Q(**{f"{field}__regex": CONTROL})
    rows = model.objects.filter(found).order_by("pk")
    changed, threads = [], set()
    for row in rows.iterator(chunk_size=BATCH):
        for field in fields:
            clean = _clean_title if field == "title" else clean_text
            setattr(row, field, clean(getattr(row, field)))
        row.body_html = render_markdown(row.body)
        changed.append(row)
        threads.add(getattr(row, thread))
        if len(changed) == BATCH:
            model.objects.bulk_update(changed, [*fields, "body_html"])
            changed = []
    model.objects.bulk_update(changed, [*fields, "body_html"])
    return threads


def strip_control_characters(apps, schema_editor):
    Question = apps.get_model("community", "Question")
    Answer = apps.get_model("community", "Answer")
    Comment = apps.get_model("community", "Comment")
    threads = _clean(Question, ["title", "body"], "pk") | _clean(Answer, ["body"], "question_id")
    answers = _clean(Comment, ["body"], "answer_id")
    threads |= set(Answer.objects.filter(pk__in=answers).values_list("question_id", flat=True))
    Question.objects.filter(pk__in=threads).update(version=F("version") + 1)


class Migration(migrations.Migration):
    dependencies = [("community", "0007_question_question_asked")]
    operations = [migrations.RunPython(strip_control_characters, migrations.RunPython.noop)]
