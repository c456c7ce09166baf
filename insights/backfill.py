"""Events for the history that existed before insights recorded them. Set-based and
idempotent (the unique key): safe in a migration, a seed and the bulk generator.

Each kind is one INSERT ... SELECT ... ON CONFLICT DO NOTHING, which PostgreSQL and
SQLite (`make run`) both understand. A row that breaks any unique rule is skipped: its
key is already there, or the person already has a deflection for that question (each
counts once per person and question)."""

from django.db import connection

from accounts.roles import ALL as STAFF_GROUPS
from insights.models import EventKind

# Both statements end on a WHERE: SQLite would read ON CONFLICT right after a join as
# the join's condition.
COLUMNS = "kind, key, occurred_at, forum_id, question_id, answer_id, channel, user_id, visitor"

# The accept time was not recorded before: the accepted answer's time is the best estimate.
# Staff: an official answer, or an author with a staff role or admin rights.
SOLUTIONS = """
    INSERT INTO {event} ({columns})
    SELECT CASE WHEN a.is_official OR u.is_staff OR u.is_superuser OR EXISTS (
                SELECT 1 FROM {user_groups} ug JOIN {group} g ON g.id = ug.group_id
                WHERE ug.user_id = a.author_id AND g.name IN ({staff_groups})
            ) THEN %s ELSE %s END,
        'solution:' || q.id, a.created_at, q.forum_id, q.id, a.id, %s, NULL, ''
    FROM {question} q
    JOIN {answer} a ON a.id = q.accepted_answer_id
    LEFT JOIN {user} u ON u.id = a.author_id
    WHERE q.accepted_answer_id IS NOT NULL
    ON CONFLICT DO NOTHING
"""
# Old session hashes were not daily (privacy.visitors): a visitor's mark keeps no hash.
MARKS = """
    INSERT INTO {event} ({columns})
    SELECT %s, 'solved_too:' || m.id, m.created_at, q.forum_id, q.id, m.answer_id, %s,
        m.user_id, ''
    FROM {mark} m
    JOIN {question} q ON q.id = m.question_id
    WHERE m.id IS NOT NULL
    ON CONFLICT DO NOTHING
"""


def events_backfill(apps) -> int:
    """Solutions from accepted answers, marks from SolvedToo; returns the rows inserted.
    `apps` is a migration's app registry or django.apps.apps."""
    User = apps.get_model("accounts", "User")
    InsightsSettings = apps.get_model("insights", "InsightsSettings")
    settings_row, _created = InsightsSettings.objects.get_or_create(pk=1)
    channel = settings_row.community_channel
    quote = connection.ops.quote_name
    tables = {
        name: quote(apps.get_model(app, model)._meta.db_table)
        for name, (app, model) in {
            "event": ("insights", "Event"),
            "question": ("community", "Question"),
            "answer": ("community", "Answer"),
            "mark": ("community", "SolvedToo"),
            "user": ("accounts", "User"),
            "group": ("auth", "Group"),
        }.items()
    }
    tables["user_groups"] = quote(
        User._meta.get_field("groups").remote_field.through._meta.db_table
    )
    staff_groups = ", ".join(["%s"] * len(STAFF_GROUPS))
    inserted = 0
    with connection.cursor() as cursor:
        cursor.execute(
            SOLUTIONS.format(columns=COLUMNS, staff_groups=staff_groups, **tables),
            [*STAFF_GROUPS, EventKind.STAFF_SOLUTION, EventKind.PEER_SOLUTION, channel],
        )
        inserted += cursor.rowcount
        cursor.execute(MARKS.format(columns=COLUMNS, **tables), [EventKind.SOLVED_TOO, channel])
        inserted += cursor.rowcount
    return inserted
