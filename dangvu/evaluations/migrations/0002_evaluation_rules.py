"""Rule parameters of the quality review, each tied to its regulation (DOMAIN.md §2).

The 100-point scale exists from QĐ 366-QĐ/TW (30/8/2025); before it (QĐ 132, QĐ 124) the levels
were set by criteria, so the thresholds are null and no score check applies. The 20% cap on HTXS
is confirmed for HD 21-HD/BTCTW (2019); whether HD 43-HD/BTCTW keeps it is unconfirmed, so its row
is marked unverified and a province can switch it off for a year by adding a parameter row.
"""

import datetime

from django.db import migrations

BASES = [
    # code, kind, title, issuer, signed_on
    ("132-QĐ/TW", "Quy định", "Quy định về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị", "Bộ Chính trị", datetime.date(2018, 3, 8)),
    ("21-HD/BTCTW", "Hướng dẫn", "Hướng dẫn một số vấn đề cụ thể về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm", "Ban Tổ chức Trung ương", datetime.date(2019, 10, 18)),
    ("124-QĐ/TW", "Quy định", "Quy định về kiểm điểm tự phê bình, phê bình, đánh giá, xếp loại chất lượng hằng năm", "Bộ Chính trị", datetime.date(2023, 10, 4)),
    ("25-HD/BTCTW", "Hướng dẫn", "Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng hằng năm", "Ban Tổ chức Trung ương", datetime.date(2023, 11, 10)),
    ("366-QĐ/TW", "Quy định", "Quy định về kiểm điểm, đánh giá, xếp loại chất lượng đối với tập thể, cá nhân trong hệ thống chính trị", "Bộ Chính trị", datetime.date(2025, 8, 30)),
    ("43-HD/BTCTW", "Hướng dẫn", "Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng đối với tập thể, cá nhân trong hệ thống chính trị", "Ban Tổ chức Trung ương", datetime.date(2025, 10, 31)),
]

NO_SCALE = {"excellent": None, "good": None, "completed": None, "excellent_exceeded_share": None}
SCALE_366 = {"excellent": 90, "good": 70, "completed": 50, "excellent_exceeded_share": 30}

# key, value, from, to, basis, article, verified, description
RULES = [
    ("evaluation.levels", NO_SCALE, datetime.date(2018, 3, 8), datetime.date(2025, 8, 30), "132-QĐ/TW", "", True,
     "Trước Quy định 366: xếp loại theo tiêu chí, không theo thang điểm."),
    ("evaluation.levels", SCALE_366, datetime.date(2025, 8, 30), None, "366-QĐ/TW", "Điều 11", False,
     "Thang 100 điểm: HTXS từ 90 điểm và vượt ít nhất 30% chỉ tiêu; HTT từ 70 đến dưới 90; HT từ 50 đến dưới 70; KHT dưới 50."),
    ("evaluation.excellent_cap", {"enabled": True, "percent_of_good": 20}, datetime.date(2019, 10, 18),
     datetime.date(2025, 10, 31), "21-HD/BTCTW", "", True,
     "Số đảng viên HTXS không vượt quá 20% số đảng viên HTT trong mỗi tổ chức cơ sở đảng."),
    ("evaluation.excellent_cap", {"enabled": True, "percent_of_good": 20}, datetime.date(2025, 10, 31), None,
     "43-HD/BTCTW", "", False,
     "Tỷ lệ HTXS không vượt quá 20% số HTT (mặc định theo hướng dẫn trước; chưa đối chiếu Hướng dẫn 43)."),
    ("evaluation.collective_excellent_blocked", {"subordinate_disciplined": True, "leadership_disciplined": True},
     datetime.date(2025, 8, 30), None, "366-QĐ/TW", "Điều 11", False,
     "Tập thể không được xếp HTXS nếu có tổ chức trực thuộc hoặc cấp ủy viên bị kỷ luật."),
    ("evaluation.probationary_ranked", True, datetime.date(2018, 3, 8), None, "21-HD/BTCTW", "", False,
     "Đảng viên dự bị được đánh giá, xếp loại như đảng viên chính thức."),
]


def forwards(apps, schema_editor):
    LegalBasis = apps.get_model("core", "LegalBasis")
    RuleParameter = apps.get_model("core", "RuleParameter")
    bases = {}
    for code, kind, title, issuer, signed in BASES:
        bases[code], _ = LegalBasis.objects.get_or_create(
            code=code,
            defaults={"doc_kind": kind, "title": title, "issuer": issuer, "signed_on": signed, "effective_from": signed},
        )
    for older, newer in (("132-QĐ/TW", "124-QĐ/TW"), ("124-QĐ/TW", "366-QĐ/TW"), ("21-HD/BTCTW", "25-HD/BTCTW"),
                         ("25-HD/BTCTW", "43-HD/BTCTW")):
        LegalBasis.objects.filter(pk=bases[older].pk).update(replaced_by=bases[newer])
    for key, value, start, end, basis, article, verified, description in RULES:
        RuleParameter.objects.create(key=key, value=value, effective_from=start, effective_to=end,
                                     legal_basis=bases[basis], article=article, verified=verified,
                                     description=description)


def backwards(apps, schema_editor):
    apps.get_model("core", "RuleParameter").objects.filter(key__startswith="evaluation.").delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial"), ("core", "0002_structure_rules")]
    operations = [migrations.RunPython(forwards, backwards)]
