"""Rule parameters of the admission pipeline (DOMAIN.md §1.1). The decision (60 working days),
ceremony (30 working days) and recognition deadlines are the member registry's parameters
(`member.deadlines_working_days`, `member.ceremony_deadline`)."""

import datetime

from django.db import migrations

D = datetime.date

# key, value, from, to, basis, article, verified, description
RULES = [
    ("admission.sponsor", {"worked_together_months": 12, "youth_union_replaces_one": True}, D(2011, 1, 19), None,
     "Điều lệ Đảng 2011", "Điều 4", True,
     "Người giới thiệu là đảng viên chính thức, cùng công tác với người vào Đảng ít nhất 12 tháng; nghị quyết "
     "giới thiệu của Đoàn thay cho một người giới thiệu."),
    ("admission.cell_vote", {"share": [2, 3], "attempts": 3}, D(2021, 7, 30), D(2025, 7, 1), "24-QĐ/TW",
     "Mục 4.2", True,
     "Nghị quyết chi bộ đề nghị kết nạp phải được ít nhất 2/3 số đảng viên chính thức tán thành; sau 3 lần "
     "không đủ 2/3 thì báo cáo cấp ủy cấp trên."),
    ("admission.cell_vote", {"share": [2, 3], "attempts": 3}, D(2025, 7, 1), None, "294-QĐ/TW", "Mục 4.2", False,
     "Nghị quyết chi bộ đề nghị kết nạp phải được ít nhất 2/3 số đảng viên chính thức tán thành; sau 3 lần "
     "không đủ 2/3 thì báo cáo cấp ủy cấp trên."),
]


def forwards(apps, schema_editor):
    LegalBasis = apps.get_model("core", "LegalBasis")
    RuleParameter = apps.get_model("core", "RuleParameter")
    bases = {b.code: b for b in LegalBasis.objects.all()}
    for key, value, start, end, basis, article, verified, description in RULES:
        RuleParameter.objects.create(key=key, value=value, effective_from=start, effective_to=end,
                                     legal_basis=bases[basis], article=article, verified=verified,
                                     description=description)


def backwards(apps, schema_editor):
    apps.get_model("core", "RuleParameter").objects.filter(key__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("admissions", "0001_initial"), ("core", "0002_structure_rules"), ("members", "0006_member_rules_2026")]
    operations = [migrations.RunPython(forwards, backwards)]
