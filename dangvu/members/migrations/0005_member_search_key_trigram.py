"""A trigram index on Member.search_key for name search by substring (PostgreSQL only).

`member_list(q=…)` filters `search_key LIKE '%word%'` for each word; a B-tree cannot serve a
leading wildcard, so at national scale (5.6 million members) PostgreSQL scanned the table. A GIN
index with `gin_trgm_ops` serves such LIKEs (see docs/benchmarks.md). SQLite has no equivalent:
the migration does nothing there.
"""

from django.db import migrations

INDEX = "member_search_key_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member USING gin (search_key gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0004_badge_occasion_february_3")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
