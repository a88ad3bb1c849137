"""Legal bases of the party structure and the rule "which kind may sit under which", as dated data.

Before 01/7/2025 (Điều lệ Đảng 2011, Điều 11, 21, 24): province → district → base organizations.
From 01/7/2025 (Quy định 294-QĐ/TW): the district level is gone; commune, ward and special-zone
committees sit under the province and above base organizations. Residential cells directly under
a commune committee (chi bộ thôn, tổ dân phố) are allowed; that wording in 294 is unverified
(DOMAIN.md §1.3), so the parameter is marked unverified.
"""

import datetime

from django.db import migrations

BEFORE_2025 = {
    "": ["central", "province"],
    "central": ["province", "provincial_bloc"],
    "province": ["district", "provincial_bloc", "base_committee", "base_cell"],
    "provincial_bloc": ["base_committee", "base_cell"],
    "district": ["base_committee", "base_cell"],
    "base_committee": ["sub_committee", "cell"],
    "sub_committee": ["cell"],
    "base_cell": ["party_group"],
    "cell": ["party_group"],
    "party_group": [],
    "commune": [],
}
FROM_JULY_2025 = {
    "": ["central", "province"],
    "central": ["province", "provincial_bloc"],
    "province": ["commune", "provincial_bloc", "base_committee", "base_cell"],
    "provincial_bloc": ["base_committee", "base_cell"],
    "commune": ["base_committee", "base_cell", "cell"],
    "district": [],
    "base_committee": ["sub_committee", "cell"],
    "sub_committee": ["cell"],
    "base_cell": ["party_group"],
    "cell": ["party_group"],
    "party_group": [],
}


def forwards(apps, schema_editor):
    LegalBasis = apps.get_model("core", "LegalBasis")
    RuleParameter = apps.get_model("core", "RuleParameter")
    q294 = LegalBasis.objects.create(
        code="294-QĐ/TW",
        doc_kind="Quy định",
        title="Quy định thi hành Điều lệ Đảng",
        issuer="Ban Chấp hành Trung ương",
        signed_on=datetime.date(2025, 5, 26),
        effective_from=datetime.date(2025, 7, 1),
        source="thads.moj.gov.vn ItemID=288 (DOMAIN.md §0)",
    )
    charter = LegalBasis.objects.create(
        code="Điều lệ Đảng 2011",
        doc_kind="",
        title="Điều lệ Đảng Cộng sản Việt Nam (Đại hội XI)",
        issuer="Đại hội đại biểu toàn quốc lần thứ XI",
        signed_on=datetime.date(2011, 1, 19),
        effective_from=datetime.date(2011, 1, 19),
    )
    RuleParameter.objects.create(
        key="organization.allowed_children",
        value=BEFORE_2025,
        effective_from=datetime.date(1930, 2, 3),
        effective_to=datetime.date(2025, 7, 1),
        legal_basis=charter,
        article="Điều 11, 21, 24",
        verified=True,
        description="Cấp tổ chức được phép trực thuộc từng cấp (có cấp huyện).",
    )
    RuleParameter.objects.create(
        key="organization.allowed_children",
        value=FROM_JULY_2025,
        effective_from=datetime.date(2025, 7, 1),
        legal_basis=q294,
        article="Mục hệ thống tổ chức",
        verified=False,
        description="Không còn cấp huyện; đảng bộ xã, phường, đặc khu là cấp trên trực tiếp của TCCSĐ.",
    )


def backwards(apps, schema_editor):
    apps.get_model("core", "RuleParameter").objects.filter(key="organization.allowed_children").delete()
    apps.get_model("core", "LegalBasis").objects.filter(code__in=["294-QĐ/TW", "Điều lệ Đảng 2011"]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_legal_basis_and_rule_parameters")]
    operations = [migrations.RunPython(forwards, backwards)]
