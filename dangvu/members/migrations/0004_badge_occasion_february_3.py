"""Fix the badge occasions: the values are MM-DD ("05-19" is 19/5), so 3/2 is "02-03", not "03-02"."""

from django.db import migrations


def forwards(apps, schema_editor):
    RuleParameter = apps.get_model("core", "RuleParameter")
    for param in RuleParameter.objects.filter(key="badge.occasions"):
        param.value = ["02-03" if v == "03-02" else v for v in param.value]
        param.save(update_fields=["value"])


def backwards(apps, schema_editor):
    RuleParameter = apps.get_model("core", "RuleParameter")
    for param in RuleParameter.objects.filter(key="badge.occasions"):
        param.value = ["03-02" if v == "02-03" else v for v in param.value]
        param.save(update_fields=["value"])


class Migration(migrations.Migration):
    dependencies = [("members", "0003_member_import"), ("core", "0002_structure_rules")]
    operations = [migrations.RunPython(forwards, backwards)]
