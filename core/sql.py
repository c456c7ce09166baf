"""SQL that PostgreSQL (production, tests) and SQLite (the embedded demo of `make run`)
spell differently. Each expression here chooses its SQL for the connection it runs on;
the PostgreSQL suite and the SQLite smoke suite (tests/embedded/) both use them."""

from django.db.models import CharField, Func


class RandomHex(Func):
    """64 random lowercase hexadecimal digits, different in every row: a pseudonym that
    cannot be traced back (PostgreSQL 13+ has gen_random_uuid() built in)."""

    output_field = CharField()
    template = "lower(hex(randomblob(32)))"

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')",
            **extra,
        )
