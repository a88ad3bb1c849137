"""Rule parameters for the leftovers of issue 3, each tied to its regulation (DOMAIN.md §1.1, §1.7, §3).

- Admission over 60 needs the written consent of the Standing Committee of the committee directly
  under the Centre (BTV tỉnh ủy), dated before the admission decision: HD 01-HD/TW (2021) Mục 1.1;
  whether HD 06-HD/TW (2025) keeps the wording is unverified.
- The admission ceremony within 30 working days of receiving the decision; later only with the
  consent of the directly-higher committee: QĐ 24 Mục 4.1, then QĐ 294.
- Readmission after a conviction for a less serious crime: 60 months after the record is expunged;
  never after a conviction for corruption or a serious crime: QĐ 24 Mục 3.5, then QĐ 294.
- Early badge: seriously ill members up to 12 months early (30–65 years) or 24 months early
  (70–90 years); posthumously up to 12 months early: HD 01-HD/TW (2021) Mục 18; unverified in
  HD 06-HD/TW (2025).
"""

import datetime

from django.db import migrations

D2011 = datetime.date(2011, 1, 19)
D2021_HD = datetime.date(2021, 9, 28)
D2025 = datetime.date(2025, 7, 1)
D2025_HD = datetime.date(2025, 6, 9)

OVER_AGE = (
    "member.admission_over_age_consent",
    {"authority": "Ban Thường vụ cấp ủy trực thuộc Trung ương", "not_after_decision": True},
    "Mục 1.1",
    "Kết nạp người trên 60 tuổi: phải có ý kiến đồng ý bằng văn bản của Ban Thường vụ cấp ủy trực thuộc "
    "Trung ương trước khi quyết định kết nạp.",
)
EARLY_BADGE = (
    "badge.early_award_months",
    {"seriously_ill": [[30, 65, 12], [70, 90, 24]], "posthumous": [[30, 90, 12]]},
    "Mục 18",
    "Trao sớm Huy hiệu Đảng: đảng viên bị bệnh nặng sớm tối đa 12 tháng (mốc 30–65 năm), 24 tháng "
    "(mốc 70–90 năm); truy tặng đảng viên từ trần sớm tối đa 12 tháng.",
)
CEREMONY = (
    "member.ceremony_deadline",
    {"working_days": 30, "late_consent_by": "cấp ủy cấp trên trực tiếp"},
    "Mục 4.1",
    "Lễ kết nạp tổ chức trong 30 ngày làm việc kể từ ngày nhận quyết định; chậm hơn phải được cấp ủy "
    "cấp trên trực tiếp đồng ý.",
)
CONVICTION = (
    "member.readmission_conviction",
    {"wait_months": 60, "never": ["serious", "corruption"]},
    "Mục 3.5",
    "Kết nạp lại người bị kết án về tội ít nghiêm trọng: sau 60 tháng kể từ khi được xóa án tích; không "
    "kết nạp lại người bị kết án về tội tham nhũng hoặc tội nghiêm trọng trở lên.",
)
KEYS = [OVER_AGE[0], EARLY_BADGE[0], CEREMONY[0], CONVICTION[0]]


def forwards(apps, schema_editor):
    LegalBasis = apps.get_model("core", "LegalBasis")
    RuleParameter = apps.get_model("core", "RuleParameter")
    q24 = LegalBasis.objects.get(code="24-QĐ/TW")
    q294 = LegalBasis.objects.get(code="294-QĐ/TW")
    hd06, _ = LegalBasis.objects.get_or_create(
        code="06-HD/TW",
        defaults={
            "doc_kind": "Hướng dẫn",
            "title": "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng",
            "issuer": "Ban Bí thư",
            "signed_on": D2025_HD,
            "effective_from": D2025_HD,
        },
    )
    hd01, _ = LegalBasis.objects.get_or_create(
        code="01-HD/TW",
        defaults={
            "doc_kind": "Hướng dẫn",
            "title": "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng",
            "issuer": "Ban Bí thư",
            "signed_on": D2021_HD,
            "effective_from": D2021_HD,
            "replaced_by": hd06,
        },
    )

    def add(spec, basis, start, end, verified):
        key, value, article, description = spec
        RuleParameter.objects.create(
            key=key,
            value=value,
            effective_from=start,
            effective_to=end,
            legal_basis=basis,
            article=article,
            verified=verified,
            description=description,
        )

    # Guidance rules: HD 01-HD/TW 2021 (the earliest value also serves older dates), then HD 06-HD/TW.
    for spec in (OVER_AGE, EARLY_BADGE):
        add(spec, hd01, D2021_HD, D2025_HD, True)
        add(spec, hd06, D2025_HD, None, False)
    # Charter rules: QĐ 24 until 30/6/2025, QĐ 294 from 01/7/2025 (same values as reported).
    for spec in (CEREMONY, CONVICTION):
        add(spec, q24, D2011, D2025, True)
        add(spec, q294, D2025, None, False)


def backwards(apps, schema_editor):
    apps.get_model("core", "RuleParameter").objects.filter(key__in=KEYS).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0005_member_search_key_trigram"), ("core", "0002_structure_rules")]
    operations = [migrations.RunPython(forwards, backwards)]
