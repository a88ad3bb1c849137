"""Rule parameters of congresses and committees, each tied to its regulation (DOMAIN.md §1.3, §6).

Term lengths follow the Charter (base level and above 5 years; affiliated cells and sub-committees
twice in 5 years, up to 6 months earlier or later); QĐ 294 pilots cell congresses once in 5 years.
Committee size of a cell: 9 official members or more elect a cell committee (QĐ 294: at most 7,
one deputy). The age check for committee candidates follows Chỉ thị 45-CT/TW (2025–2030 term only)
and the retirement ages of the Labour Code 2019 with Decree 135/2020.
"""

import datetime

from django.db import migrations

D = datetime.date

BASES = [
    # code, kind, title, issuer, signed_on, effective_from
    ("45-CT/TW", "Chỉ thị", "Chỉ thị về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
     "Bộ Chính trị", D(2025, 4, 14), D(2025, 4, 14)),
    ("244-QĐ/TW", "Quy định", "Quy chế bầu cử trong Đảng", "Ban Chấp hành Trung ương", D(2014, 6, 9), D(2014, 6, 9)),
    ("45/2019/QH14", "Luật", "Bộ luật Lao động", "Quốc hội", D(2019, 11, 20), D(2021, 1, 1)),
    ("135/2020/NĐ-CP", "Nghị định", "Nghị định quy định về tuổi nghỉ hưu", "Chính phủ", D(2020, 11, 18), D(2021, 1, 1)),
]

TERMS = {"cell": 30, "sub_committee": 30, "base": 60, "commune": 60, "provincial": 60, "province": 60,
         "tolerance_months": {"cell": 6, "sub_committee": 6}}
AGE_REFERENCE = {
    "months": {"cell": "2025-04", "sub_committee": "2025-04", "base": "2025-04", "provincial": "2025-06",
               "commune": "2025-07", "province": "2025-09"},
    "first_time_months": 60,
    "reelected_months": 48,
}
RETIREMENT = {
    "male": {"start_year": 2021, "start_months": 723, "step_months": 3, "max_months": 744},
    "female": {"start_year": 2021, "start_months": 664, "step_months": 4, "max_months": 720},
}

# key, value, from, to, basis, article, verified, description
RULES = [
    ("congress.term_months", TERMS, D(2011, 1, 19), None, "Điều lệ Đảng 2011", "Điều 22, Điều 24", True,
     "Nhiệm kỳ đại hội: cấp cơ sở trở lên 5 năm; chi bộ trực thuộc, đảng bộ bộ phận 5 năm hai lần, "
     "có thể sớm hoặc muộn hơn không quá 6 tháng."),
    ("congress.cell_term_pilot", {"cell": 60}, D(2025, 7, 1), None, "294-QĐ/TW", "", True,
     "Thí điểm đại hội chi bộ 5 năm một lần."),
    ("congress.cell_leadership", {"committee_from_official": 9, "max_committee": None, "max_deputies": 1},
     D(2011, 1, 19), D(2025, 7, 1), "Điều lệ Đảng 2011", "Điều 24", False,
     "Chi bộ dưới 9 đảng viên chính thức bầu bí thư (và phó bí thư nếu cần); từ 9 đảng viên chính thức trở lên "
     "bầu chi ủy, bầu bí thư và phó bí thư trong chi ủy."),
    ("congress.cell_leadership", {"committee_from_official": 9, "max_committee": 7, "max_deputies": 1},
     D(2025, 7, 1), None, "294-QĐ/TW", "", True,
     "Chi bộ từ 9 đảng viên chính thức trở lên bầu chi ủy không quá 7 đồng chí, có một phó bí thư."),
    ("congress.quorum", {"attendance_share": [2, 3]}, D(2011, 1, 19), None, "Điều lệ Đảng 2011", "", False,
     "Đại hội hợp lệ khi có ít nhất 2/3 số đại biểu hoặc đảng viên được triệu tập có mặt "
     "(số được triệu tập tính theo mục 9.3 Quy định thi hành Điều lệ Đảng)."),
    ("congress.election_majority", {"more_than_share": [1, 2], "of": "valid_ballots"}, D(2014, 6, 9), None,
     "244-QĐ/TW", "", False, "Người trúng cử phải được quá một phần hai số phiếu bầu hợp lệ."),
    ("congress.age_reference", AGE_REFERENCE, D(2025, 4, 14), D(2026, 7, 1), "45-CT/TW", "", True,
     "Tuổi tham gia cấp ủy nhiệm kỳ 2025–2030 tính theo tháng mốc của từng cấp: tham gia lần đầu phải còn đủ "
     "một nhiệm kỳ công tác, tái cử phải còn ít nhất 48 tháng. Chi bộ trực thuộc áp dụng mốc của cấp cơ sở."),
    ("labour.retirement_age", RETIREMENT, D(2021, 1, 1), None, "135/2020/NĐ-CP", "Điều 4", True,
     "Tuổi nghỉ hưu trong điều kiện lao động bình thường: nam 60 tuổi 3 tháng từ 2021, mỗi năm thêm 3 tháng "
     "đến 62 tuổi; nữ 55 tuổi 4 tháng, mỗi năm thêm 4 tháng đến 60 tuổi (Bộ luật Lao động 2019 Điều 169)."),
]


def forwards(apps, schema_editor):
    LegalBasis = apps.get_model("core", "LegalBasis")
    RuleParameter = apps.get_model("core", "RuleParameter")
    for code, kind, title, issuer, signed, effective in BASES:
        LegalBasis.objects.get_or_create(
            code=code,
            defaults={"doc_kind": kind, "title": title, "issuer": issuer, "signed_on": signed,
                      "effective_from": effective},
        )
    bases = {b.code: b for b in LegalBasis.objects.all()}
    for key, value, start, end, basis, article, verified, description in RULES:
        RuleParameter.objects.create(key=key, value=value, effective_from=start, effective_to=end,
                                     legal_basis=bases[basis], article=article, verified=verified,
                                     description=description)


def backwards(apps, schema_editor):
    apps.get_model("core", "RuleParameter").objects.filter(key__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("congresses", "0001_initial"), ("core", "0002_structure_rules"), ("members", "0006_member_rules_2026")]
    operations = [migrations.RunPython(forwards, backwards)]
