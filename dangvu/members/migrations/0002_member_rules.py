"""Rule parameters of the member registry, each tied to its regulation (DOMAIN.md §1, §3).

Values from QĐ 24-QĐ/TW (2021) apply until 30/6/2025, from QĐ 294-QĐ/TW (same values as reported)
from 01/7/2025. Values reported only by secondary sources are marked unverified.
"""

import datetime

from django.db import migrations

D2011 = datetime.date(2011, 1, 19)
D2021 = datetime.date(2021, 7, 30)
D2025 = datetime.date(2025, 7, 1)

# key, value, article, verified, description
MEMBER_RULES = [
    ("member.admission_age_months", {"min": 216, "max": 720}, "Mục 1.1", True,
     "Tuổi đời khi chi bộ xét kết nạp: đủ 18 đến đủ 60 tuổi, tính theo tháng."),
    ("member.probation_months", 12, "Điều 5 Điều lệ; Mục 4.2", True,
     "Thời gian dự bị: 12 tháng kể từ ngày kết nạp (lễ kết nạp)."),
    ("member.readmission", {"wait_months": 36, "max_times": 1, "excluded_exit_kinds": ["left"],
                            "excluded_removal_causes": ["abandoned"]}, "Mục 3.5", True,
     "Kết nạp lại: sau ít nhất 36 tháng, chỉ một lần; không kết nạp lại người tự bỏ sinh hoạt, xin ra khỏi Đảng."),
    ("member.temporary_transfer_months", {"min": 3, "max_exclusive": 12, "study_max": 24}, "Mục 6.3.2", True,
     "Sinh hoạt tạm thời: từ 3 tháng đến dưới 1 năm; học tập trung trong nước đến 2 năm."),
    ("member.deadlines_working_days", {"transfer_report": 30, "recognition": 30, "admission_decision": 60,
                                       "ceremony": 30, "transfer_start": 60}, "Mục 4.2, 4.3, 6.3.1", True,
     "Thời hạn tính theo ngày làm việc."),
    ("member.discipline_ranks_not_completed", True, "QĐ 366-QĐ/TW", False,
     "Đảng viên bị kỷ luật trong năm xếp loại không hoàn thành nhiệm vụ."),
    ("badge.milestones", [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90], "Mục 18 HD 01-HD/TW 2021", True,
     "Các mốc tuổi đảng được xét tặng Huy hiệu Đảng."),
    ("badge.occasions", ["03-02", "05-19", "09-02", "11-07"], "Mục 18 HD 01-HD/TW 2021", True,
     "Các dịp trao Huy hiệu Đảng: 3/2, 19/5, 2/9, 7/11."),
    ("badge.discipline_delay_months", {"reprimand": 6, "warning": 9, "dismissal": 12}, "Mục 18", True,
     "Thời gian sau kỷ luật mới xét tặng Huy hiệu Đảng."),
]


def forwards(apps, schema_editor):
    LegalBasis = apps.get_model("core", "LegalBasis")
    RuleParameter = apps.get_model("core", "RuleParameter")
    q24, _ = LegalBasis.objects.get_or_create(
        code="24-QĐ/TW",
        defaults={"doc_kind": "Quy định", "title": "Quy định thi hành Điều lệ Đảng", "issuer": "Ban Chấp hành Trung ương",
                  "signed_on": D2021, "effective_from": D2021},
    )
    q294 = LegalBasis.objects.get(code="294-QĐ/TW")
    LegalBasis.objects.filter(pk=q24.pk).update(replaced_by=q294)
    for key, value, article, verified, description in MEMBER_RULES:
        RuleParameter.objects.create(key=key, value=value, effective_from=D2011, effective_to=D2025, legal_basis=q24,
                                     article=article, verified=verified, description=description)
        # QĐ 294 keeps these values as far as the sources report; unverified until the full text is read.
        RuleParameter.objects.create(key=key, value=value, effective_from=D2025, legal_basis=q294, article=article,
                                     verified=False, description=description)


def backwards(apps, schema_editor):
    apps.get_model("core", "RuleParameter").objects.filter(key__in=[r[0] for r in MEMBER_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial"), ("core", "0002_structure_rules")]
    operations = [migrations.RunPython(forwards, backwards)]
