"""The disciplined-member rule of the review, tied to the regulations that state it (DOMAIN.md §2).

HD 21-HD/BTCTW (2019): a member disciplined in the year is ranked "không hoàn thành nhiệm vụ". QĐ 366
keeps discipline among the KHT triggers; its exact list is unconfirmed, so that row is unverified.
(The member registry's `member.discipline_ranks_not_completed` row pointed at QĐ 294 and named QĐ 366
in its article; the review reads this key instead.)
"""

import datetime

from django.db import migrations

RULES = [
    ("21-HD/BTCTW", datetime.date(2019, 10, 18), datetime.date(2025, 8, 30), True, ""),
    ("366-QĐ/TW", datetime.date(2025, 8, 30), None, False, "Điều 11"),
]


def forwards(apps, schema_editor):
    LegalBasis = apps.get_model("core", "LegalBasis")
    RuleParameter = apps.get_model("core", "RuleParameter")
    for code, start, end, verified, article in RULES:
        RuleParameter.objects.create(
            key="evaluation.disciplined_member_not_completed", value=True, effective_from=start, effective_to=end,
            legal_basis=LegalBasis.objects.get(code=code), article=article, verified=verified,
            description="Đảng viên bị kỷ luật trong kỳ đánh giá xếp loại không hoàn thành nhiệm vụ.",
        )


def backwards(apps, schema_editor):
    apps.get_model("core", "RuleParameter").objects.filter(key="evaluation.disciplined_member_not_completed").delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_evaluation_rules")]
    operations = [migrations.RunPython(forwards, backwards)]
