"""`dangvu statistics` includes the campaigns: the congress rounds in progress and the admissions
against the target, in the table and in the JSON (where each part is what its API answers).

On 15/12/2025 the province runs the round of affiliated-cell congresses 2025–2027 (cell_a, school_cell,
cell_b; opened on 01/08/2025, due 30/11/2025): cell_a held its congress on 10/09/2025. The province's
2025 target is 4; one member was admitted in cell_b on 01/10/2025.
"""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from dangvu.admissions import services as admission_services
from dangvu.congresses import services
from dangvu.congresses.choices import Level, Position
from dangvu.congresses.models import Congress
from dangvu.members.choices import Gender, Status
from dangvu.members.tests.factories import MemberFactory
from dangvu.reports import tallies

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2025, 12, 15, 9, 0, tzinfo=datetime.UTC), tick=False)


def _cell_members(cell, *names):
    return [MemberFactory(organization=cell, full_name=n, birth_date=D(1985, 1, 1)) for n in names]


def _record(actor, rnd, org, members, held_on):
    congress = Congress.objects.get(round=rnd, organization=org)
    seats = [
        services.ElectedSeat(member=m, position=p, votes_for=8, votes_valid=10)
        for m, p in zip(members, (Position.SECRETARY, Position.DEPUTY, Position.MEMBER), strict=True)
    ]
    services.congress_record(
        actor=actor,
        congress=congress,
        held_on=held_on,
        summoned=12,
        attending=10,
        official_members=9,
        seats=seats,
    )


@pytest.fixture
def campaigns(today, org_tree, province_staff):
    t = org_tree
    rnd = services.round_create(
        actor=province_staff,
        organization=t.province,
        level=Level.CELL,
        term_start_year=2025,
        term_end_year=2027,
        starts_on=D(2025, 8, 1),
        deadline=D(2025, 11, 30),
    )
    rnd = services.round_open(actor=province_staff, round=rnd, on=D(2025, 8, 1))
    _record(
        province_staff,
        rnd,
        t.cell_a,
        _cell_members(t.cell_a, "Nguyễn Văn An", "Trần Văn Bình", "Lê Văn Chi"),
        D(2025, 9, 10),
    )
    admission_services.target_set(actor=province_staff, organization=t.province, year_from=2025, target=4)
    MemberFactory(
        organization=t.cell_b,
        full_name="Vũ Thị Mới",
        gender=Gender.FEMALE,
        birth_date=D(2000, 2, 2),
        status=Status.PROBATIONARY,
        admission_decision_date=D(2025, 10, 1),
        ceremony_date=D(2025, 10, 10),
    )
    tallies.rebuild()  # factories write members directly; the services keep the counters in step
    return rnd


def run(*args: str) -> str:
    out = StringIO()
    call_command("statistics", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_json_carries_what_the_campaign_apis_answer(campaigns, org_tree, province_staff, client):
    data = json.loads(run("--org", "T99", "--as-of", "2025-12-15", "--format", "json"))
    client.force_login(province_staff)
    congresses = data["campaigns"]["congresses"]
    assert len(congresses) == 1
    api = client.get(f"/api/v1/congress-rounds/{campaigns.pk}/progress?as_of=2025-12-15").json()
    assert congresses[0] == api
    assert (api["ratio_text"], api["overdue"]) == ("1/3 (33,33%)", 2)
    admissions = data["campaigns"]["admissions"]
    api = client.get(
        f"/api/v1/admission-targets/progress?organization={org_tree.province.pk}&period=2025&as_of=2025-12-15"
    ).json()
    assert admissions == api
    assert (admissions["ratio_text"], admissions["ratio"]) == ("1/4 (25,00%)", 25.0)


def test_table_shows_both_campaigns_in_vietnamese(campaigns):
    out = run("--org", "T99")
    assert "Đại hội chi bộ trực thuộc nhiệm kỳ 2025–2027 (hạn 30/11/2025, tính đến ngày 15/12/2025)" in out
    assert "1/3 (33,33%)" in out and "Đảng bộ xã An Bình" in out and "1/2 (50,00%)" in out
    assert "Kết nạp đảng viên năm 2025 (đến ngày 15/12/2025)" in out and "1/4 (25,00%)" in out
    assert "Nữ" in out


def test_one_more_congress_moves_the_commune_and_the_province(campaigns, org_tree, province_staff):
    def held(code: str) -> str:
        data = json.loads(run("--org", code, "--format", "json"))
        return data["campaigns"]["congresses"][0]["ratio_text"]

    assert (held("T99-AB"), held("T99")) == ("1/2 (50,00%)", "1/3 (33,33%)")
    members = _cell_members(org_tree.school_cell, "Phạm Văn Dũng", "Hoàng Văn Giang", "Đỗ Văn Hải")
    _record(province_staff, campaigns, org_tree.school_cell, members, D(2025, 12, 12))
    assert (held("T99-AB"), held("T99")) == ("2/2 (100,00%)", "2/3 (66,67%)")


def test_a_past_date_and_a_period(campaigns):
    data = json.loads(run("--org", "T99", "--as-of", "2025-09-09", "--format", "json"))
    progress = data["campaigns"]["congresses"][0]
    assert (progress["as_of"], progress["ratio_text"], progress["overdue"]) == (
        "2025-09-09",
        "0/3 (0,00%)",
        0,
    )
    assert data["campaigns"]["admissions"]["ratio_text"] == "0/4 (0,00%)"
    out = run("--org", "T99-BS", "--from", "2025-01-01", "--as-of", "2025-12-15")
    assert "Đã kết nạp/chỉ tiêu" in out and "1 (chưa giao chỉ tiêu)" in out  # commune B has no target


def _round_names(*args: str) -> list[str]:
    data = json.loads(run("--org", "T99", "--format", "json", *args))
    return [p["round"]["name"] for p in data["campaigns"]["congresses"]]


def test_as_of_lists_the_rounds_open_on_that_day_not_today(campaigns, org_tree, province_staff, time_machine):
    """The round opened on 01/08/2025; the province closes it on 20/12/2025 and opens the base-level
    round on 05/01/2026: each date lists the rounds open on it (the closing day already closed)."""
    name = campaigns.name
    assert _round_names("--as-of", "2025-07-31") == []  # the day before it opened
    assert _round_names("--as-of", "2025-08-01") == [name]  # the day it opened
    time_machine.move_to(datetime.datetime(2025, 12, 20, 9, 0, tzinfo=datetime.UTC), tick=False)
    services.round_close(actor=province_staff, round=campaigns)
    time_machine.move_to(datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.UTC), tick=False)
    base = services.round_create(
        actor=province_staff,
        organization=org_tree.province,
        level=Level.BASE,
        term_start_year=2025,
        term_end_year=2030,
        starts_on=D(2026, 1, 5),
        deadline=D(2026, 6, 30),
    )
    assert _round_names() == []  # a round in draft has not opened
    services.round_open(actor=province_staff, round=base, on=D(2026, 1, 5))
    assert _round_names("--as-of", "2025-12-19") == [name]  # the day before it closed
    assert _round_names("--as-of", "2025-12-20") == []  # closed that day
    assert _round_names("--as-of", "2026-01-04") == []
    assert _round_names("--as-of", "2026-01-05") == [base.name]
    out = run("--org", "T99", "--as-of", "2025-12-20")
    assert "Không có đợt đại hội đang tổ chức ngày 20/12/2025." in out


def test_no_round_in_progress(today, org_tree):
    out = run("--org", "T99")
    assert "Không có đợt đại hội đang tổ chức ngày 15/12/2025." in out
    data = json.loads(run("--org", "T99", "--format", "json"))
    assert data["campaigns"]["congresses"] == []
    assert data["campaigns"]["admissions"]["target"] is None
