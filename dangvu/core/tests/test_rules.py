"""Dated rule parameters: the value in force on a date, and the regulation it names."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from dangvu.core.models import LegalBasis, RuleParameter
from dangvu.core.rules import rule

pytestmark = pytest.mark.django_db


def test_structure_rule_changes_on_1_july_2025():
    before = rule("organization.allowed_children", on=datetime.date(2025, 6, 30))
    after = rule("organization.allowed_children", on=datetime.date(2025, 7, 1))
    assert "district" in before.value["province"] and "commune" not in before.value["province"]
    assert "commune" in after.value["province"] and "district" not in after.value["province"]
    assert after.citation.endswith("Quy định 294-QĐ/TW")
    assert after.legal_basis.effective_from == datetime.date(2025, 7, 1)


def test_a_new_parameter_takes_over_from_its_date():
    basis = LegalBasis.objects.create(
        code="99-QĐ/TW", doc_kind="Quy định", title="Quy định thử", effective_from=datetime.date(2027, 1, 1)
    )
    RuleParameter.objects.create(
        key="test.limit",
        value=60,
        effective_from=datetime.date(2020, 1, 1),
        effective_to=datetime.date(2027, 1, 1),
        legal_basis=basis,
    )
    RuleParameter.objects.create(
        key="test.limit",
        value=62,
        effective_from=datetime.date(2027, 1, 1),
        legal_basis=basis,
        article="Điều 3",
    )
    assert rule("test.limit", on=datetime.date(2026, 12, 31)).value == 60
    r = rule("test.limit", on=datetime.date(2027, 1, 1))
    assert r.value == 62 and r.citation == "Điều 3, Quy định 99-QĐ/TW"


def test_missing_parameter_is_a_configuration_error_in_vietnamese():
    with pytest.raises(ImproperlyConfigured, match="Chưa có tham số quy tắc"):
        rule("organization.allowed_children", on=datetime.date(1900, 1, 1))


def test_cached_rules_reads_each_key_once(django_assert_num_queries):
    from dangvu.core.rules import cached_rules

    with cached_rules(), django_assert_num_queries(1):
        for day in range(1, 29):
            rule("organization.allowed_children", on=datetime.date(2025, 6, day))
            rule("organization.allowed_children", on=datetime.date(2025, 7, day))
    with cached_rules(), pytest.raises(ImproperlyConfigured):
        rule("organization.allowed_children", on=datetime.date(1900, 1, 1))


def test_before_first_gives_dates_older_than_any_regulation_the_first_value():
    old = datetime.date(1960, 5, 19)
    with pytest.raises(ImproperlyConfigured):
        rule("member.probation_months", on=old)
    assert rule("member.probation_months", on=old, before_first=True).value == 12
