"""The statistics dashboard shows the campaigns of the date (issue 6): the congress rounds in progress
over the organization, "held/total (ratio)" under it, and the year's admissions against the target,
each linking to its progress page with the date kept; in scope only."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from dangvu.admissions import services as admission_services
from dangvu.congresses import services as congress_services
from dangvu.congresses.choices import Level, Position
from dangvu.congresses.models import Congress
from dangvu.congresses.services import ElectedSeat
from dangvu.members.choices import Status
from dangvu.members.tests.factories import MemberFactory
from dangvu.reports import tallies

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 3, 10)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False)
    return TODAY


@pytest.fixture
def campaign(org_tree, province_staff, today):
    """The province's round of cell congresses (cell_a, school_cell, cell_b), cell_a's held on
    15/01/2026; an admission target of 10 for 2026 (6 of them for commune A), one admitted in cell_a
    on 02/02/2026."""
    t = org_tree
    secretary = MemberFactory(organization=t.cell_a, full_name="Nông Văn Bí", birth_date=D(1985, 4, 1))
    MemberFactory(organization=t.cell_a, full_name="Hoàng Thị Lan", birth_date=D(1990, 6, 1))
    MemberFactory(
        organization=t.cell_a,
        full_name="Lục Văn Mới",
        birth_date=D(2001, 1, 9),
        status=Status.PROBATIONARY,
        admission_decision_date=D(2026, 2, 2),
        ceremony_date=D(2026, 2, 12),
    )
    tallies.rebuild()  # factories write members directly; the services keep the counters in step
    rnd = congress_services.round_create(
        actor=province_staff,
        organization=t.province,
        level=Level.CELL,
        term_start_year=2025,
        term_end_year=2027,
        starts_on=D(2025, 9, 1),
        deadline=D(2026, 6, 30),
    )
    rnd = congress_services.round_open(actor=province_staff, round=rnd, on=D(2025, 9, 1))
    congress_services.congress_record(
        actor=province_staff,
        congress=Congress.objects.get(round=rnd, organization=t.cell_a),
        held_on=D(2026, 1, 15),
        summoned=2,
        attending=2,
        official_members=2,
        seats=[ElectedSeat(member=secretary, position=Position.SECRETARY, votes_for=2, votes_valid=2)],
        secretary_elected_directly=True,
    )
    for org, target in ((t.province, 10), (t.commune_a, 6), (t.commune_b, 4)):
        admission_services.target_set(
            actor=province_staff, organization=org, year_from=2026, target=target, decision_ref="15-QĐ/TU"
        )
    return rnd


def page(client, user, org, **params) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(reverse("reports:dashboard", args=[org.pk]), params)
    return response.status_code, response.content.decode()


def figure(html: str, key: str) -> str | None:
    match = re.search(rf'data-figure="{key}">([^<]*)<', html)
    return match.group(1) if match else None


def test_the_province_sees_the_round_and_the_target_with_links(client, province_staff, org_tree, campaign):
    status, html = page(client, province_staff, org_tree.province)

    assert status == 200 and "Đại hội và phát triển đảng viên" in html
    assert "Đại hội chi bộ trực thuộc nhiệm kỳ 2025–2027" in html
    assert figure(html, f"congress-{campaign.pk}") == "1/3 (33,33%)"
    assert figure(html, "admissions") == "1/10 (10,00%)"
    assert "Chỉ tiêu giao các tổ chức trực thuộc: 10." in html
    congress_link = reverse("congresses:progress_org", args=[campaign.pk, org_tree.province.pk])
    admission_link = reverse("admissions:progress_org", args=[org_tree.province.pk])
    assert f'href="{congress_link}"' in html
    assert f'href="{admission_link}?ky=2026"' in html
    assert client.get(congress_link).status_code == 200
    assert client.get(f"{admission_link}?ky=2026").status_code == 200


def test_a_past_date_counts_as_of_that_date_and_keeps_it_in_the_links(
    client, province_staff, org_tree, campaign
):
    status, html = page(client, province_staff, org_tree.province, as_of="2026-01-10")

    assert status == 200
    assert figure(html, f"congress-{campaign.pk}") == "0/3 (0,00%)"  # cell_a held its congress on 15/01
    assert figure(html, "admissions") == "0/10 (0,00%)"  # admitted on 02/02
    congress_link = reverse("congresses:progress_org", args=[campaign.pk, org_tree.province.pk])
    assert f'href="{congress_link}?ngay=2026-01-10"' in html
    assert "?ky=2026&amp;ngay=2026-01-10" in html


def test_no_round_before_it_opened_nor_a_target_of_another_year(client, province_staff, org_tree, campaign):
    _status, html = page(client, province_staff, org_tree.province, as_of="2025-08-01")

    assert figure(html, f"congress-{campaign.pk}") is None
    assert figure(html, "admissions") is None  # the target is for 2026
    assert "Đại hội và phát triển đảng viên" not in html


def test_a_closed_round_shows_for_the_dates_it_was_open(
    client, province_staff, org_tree, campaign, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
    congress_services.round_close(actor=province_staff, round=campaign, reason="Hoàn thành")
    time_machine.move_to(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False)

    assert figure(page(client, province_staff, org_tree.province)[1], f"congress-{campaign.pk}") is None
    _status, before = page(client, province_staff, org_tree.province, as_of="2026-02-20")
    assert figure(before, f"congress-{campaign.pk}") == "1/3 (33,33%)"


def test_a_commune_and_a_cell_see_their_part(client, commune_a_staff, cell_secretary, org_tree, campaign):
    _status, commune = page(client, commune_a_staff, org_tree.commune_a)
    assert figure(commune, f"congress-{campaign.pk}") == "1/2 (50,00%)"  # cell_a and the school's cell
    assert figure(commune, "admissions") == "1/6 (16,67%)"

    _status, cell = page(client, cell_secretary, org_tree.cell_a)
    assert figure(cell, f"congress-{campaign.pk}") == "1/1 (100,00%)"
    assert figure(cell, "admissions") is None  # no target for the cell or under it


def test_recording_a_congress_changes_the_figures_at_once(client, province_staff, org_tree, campaign):
    member = MemberFactory(organization=org_tree.cell_b, full_name="Bế Văn Hùng", birth_date=D(1988, 1, 1))
    congress_services.congress_record(
        actor=province_staff,
        congress=Congress.objects.get(round=campaign, organization=org_tree.cell_b),
        held_on=TODAY,
        summoned=1,
        attending=1,
        official_members=1,
        seats=[ElectedSeat(member=member, position=Position.SECRETARY, votes_for=1, votes_valid=1)],
        secretary_elected_directly=True,
    )

    _status, html = page(client, province_staff, org_tree.province)
    assert figure(html, f"congress-{campaign.pk}") == "2/3 (66,67%)"


def test_outsiders_and_other_communes_get_404(client, outsider, commune_b_staff, org_tree, campaign):
    assert page(client, outsider, org_tree.province)[0] == 404
    assert page(client, commune_b_staff, org_tree.commune_a)[0] == 404
    status, html = page(client, commune_b_staff, org_tree.commune_b)
    assert status == 200 and figure(html, f"congress-{campaign.pk}") == "0/1 (0,00%)"
    assert "An Bình" not in html  # nothing of commune A leaks into the cards


def test_the_campaigns_cost_a_bounded_number_of_queries(
    client, province_staff, org_tree, campaign, django_assert_max_num_queries
):
    client.force_login(province_staff)
    url = reverse("reports:dashboard", args=[org_tree.province.pk])
    client.get(url)
    # 14 for the page without campaigns (test_dashboard), 2 per round, 8 for the admissions.
    with django_assert_max_num_queries(24):
        assert client.get(url).status_code == 200
