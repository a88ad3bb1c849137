"""Recount the counters once: admissions by segment (`ad:<year>:<segment>`) are new keys, and
existing databases hold none until a recount. A fresh database has nothing to count."""

from django.db import migrations


def recount(apps, schema_editor):
    # The live module on purpose: the counters are derived data, recounted with today's definitions.
    from dangvu.reports import tallies

    tallies.rebuild()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("members", "0006_member_rules_2026"), ("admissions", "0002_admission_rules"),
                    ("organizations", "0004_border_area")]
    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
