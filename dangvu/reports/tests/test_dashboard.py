"""The statistics dashboard: the figures of `statistics.snapshot`, on today or a past date, in scope."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.urls import reverse

from dangvu.core.formats import fmt_int, fmt_percent
from dangvu.members import services
from dangvu.members.choices import Gender, Religion, Status
from dangvu.members.tests.factories import MemberFactory
from dangvu.reports import statistics, tallies

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 3, 10)
YESTERDAY = D(2026, 3, 9)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False)
    return TODAY


@pytest.fixture
def people(org_tree, today):
    """Members across the tree, two of them directly at commune A (its own members)."""
    t = org_tree
    made = {
        "an": MemberFactory(organization=t.cell_a, full_name="Nguyễn Văn An"),
        "binh": MemberFactory(
            organization=t.cell_a, full_name="Lò Thị Bình", gender=Gender.FEMALE, ethnicity="02"
        ),
        "chi": MemberFactory(
            organization=t.cell_a,
            full_name="Trần Thị Chi",
            gender=Gender.FEMALE,
            status=Status.PROBATIONARY,
            birth_date=D(2000, 5, 1),
            admission_decision_date=D(2025, 9, 1),
            ceremony_date=D(2025, 9, 10),
        ),
        "dung": MemberFactory(
            organization=t.school_cell, full_name="Phạm Văn Dũng", religion=Religion.CATHOLIC
        ),
        "em": MemberFactory(organization=t.commune_a, full_name="Hoàng Văn Em"),
        "gia": MemberFactory(organization=t.commune_a, full_name="Vũ Thị Gia", gender=Gender.FEMALE),
        "hai": MemberFactory(organization=t.cell_b, full_name="Đỗ Văn Hải", birth_date=D(1955, 1, 1)),
    }
    tallies.rebuild()  # factories write members directly; the services keep the counters in step
    return made


def get(client, user, org, **params):
    client.force_login(user)
    return client.get(reverse("reports:dashboard", args=[org.pk]), params)


def card(html: str, key: str) -> str:
    match = re.search(rf'data-figure="{key}".*?dv-stat-value">([^<]*)<', html, re.S)
    assert match, f"no headline card {key}"
    return match.group(1)


def table_row(html: str, row_id: str) -> list[str]:
    row = re.search(rf'<tr[^>]*id="{row_id}".*?</tr>', html, re.S)
    assert row, f"no row {row_id}"
    return re.findall(r"<td class=\"dv-num\"[^>]*><span>([^<]*)</span>", row.group(0))


def chart_json(response) -> dict:
    match = re.search(
        r'<script id="dashboard-charts" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match
    return json.loads(match.group(1))


def test_headline_cards_show_the_snapshot_figures_in_vietnamese_formats(
    client, province_staff, org_tree, people
):
    snap = statistics.snapshot(org_tree.province)
    m, orgs = snap.figures["members"], snap.figures["organizations"]

    html = get(client, province_staff, org_tree.province).content.decode()

    assert m["total"] == 7
    assert card(html, "total") == fmt_int(m["total"])
    assert card(html, "official") == fmt_int(m["official"]) == "6"
    assert card(html, "probationary") == fmt_int(m["probationary"]) == "1"
    assert card(html, "female") == fmt_int(m["female"]) == "3"
    assert f"{fmt_percent(3, 7)} tổng số" in html  # 42,86%
    assert card(html, "minority") == fmt_int(m["ethnic_minority"]) == "1"
    assert card(html, "religious") == fmt_int(m["religious"]) == "1"
    assert card(html, "exempted") == fmt_int(m["exempted"])
    assert card(html, "mean_age") == f"{m['mean_age']:.1f}".replace(".", ",")
    assert card(html, "base") == fmt_int(orgs["base"]) == "1"
    assert card(html, "cells") == fmt_int(orgs["cells"]) == "3"
    assert "Số liệu hôm nay, 10/03/2026" in html


def test_children_table_reconciles_with_the_parent(client, commune_a_staff, org_tree, people):
    snap = statistics.snapshot(org_tree.commune_a)

    html = get(client, commune_a_staff, org_tree.commune_a).content.decode()

    by_name = {info["name"]: figs["members"] for info, figs in snap.children}
    assert by_name["Chi bộ thôn Đông"]["total"] == 3
    assert table_row(html, "children-sum") == ["4", "3", "1", "2", "50,00%", "2"]  # cell_a + school cell
    assert table_row(html, "children-own") == ["2", "2", "0", "1", "50,00%", "0"]  # Em and Gia
    assert table_row(html, "children-total") == ["6", "5", "1", "3", "50,00%", "2"]
    assert fmt_int(snap.figures["members"]["total"]) == "6"
    assert "Sinh hoạt trực tiếp tại Đảng bộ xã An Bình" in html
    cell_link = reverse("reports:dashboard", args=[org_tree.cell_a.pk])
    assert f'href="{cell_link}"' in html  # drill down, today: no date in the link


def test_no_own_row_when_the_parent_holds_no_members_directly(client, province_staff, org_tree, people):
    html = get(client, province_staff, org_tree.province).content.decode()

    assert 'id="children-own"' not in html
    assert table_row(html, "children-sum") == table_row(html, "children-total")


def test_chart_data_is_the_snapshot_as_json(client, province_staff, org_tree, people):
    snap = statistics.snapshot(org_tree.province)

    charts = chart_json(get(client, province_staff, org_tree.province))

    assert charts["status"]["values"] == [6, 1]
    assert dict(zip(charts["ethnicity"]["labels"], charts["ethnicity"]["values"], strict=True)) == {
        "Kinh": 6,
        "Tày": 1,
    }
    years = {r["year"]: r["admitted"] for r in snap.figures["admissions_per_year"]}
    assert dict(zip(charts["admissions"]["labels"], charts["admissions"]["values"], strict=True)) == {
        str(y): n for y, n in years.items()
    }
    assert years[2025] == 1  # Chi's admission
    pyramid = dict(zip(charts["pyramid"]["labels"], charts["pyramid"]["female"], strict=True))
    assert pyramid["25–29"] == 1  # Chi, born 2000
    assert sum(charts["pyramid"]["male"]) + sum(charts["pyramid"]["female"]) == 7
    assert (
        'src="/static/vendor/chart.js-4.6.1/dist/chart.umd.min.js"'
        in get(client, province_staff, org_tree.province).content.decode()
    )


def test_a_transfer_today_changes_today_but_not_yesterday(client, province_staff, org_tree, people):
    transfer = services.transfer_issue(
        actor=province_staff, member=people["an"], kind="official", to_org=org_tree.cell_b, issued_on=TODAY
    )
    services.transfer_accept(actor=province_staff, transfer=transfer, accepted_on=TODAY)

    now = get(client, province_staff, org_tree.commune_a).content.decode()
    then = get(client, province_staff, org_tree.commune_a, as_of=YESTERDAY.isoformat()).content.decode()
    then_vn = get(client, province_staff, org_tree.commune_a, as_of="09/03/2026").content.decode()

    assert card(now, "total") == "5"
    assert card(then, "total") == card(then_vn, "total") == "6"
    assert "Số liệu tại ngày 09/03/2026, tính lại từ lịch sử biến động" in then
    past_link = reverse("reports:dashboard", args=[org_tree.cell_a.pk]) + "?as_of=2026-03-09"
    assert f'href="{past_link}"' in then  # drill down keeps the date
    assert table_row(then, "children-total") == ["6", "5", "1", "3", "50,00%", "2"]
    province_now = get(client, province_staff, org_tree.province).content.decode()
    assert card(province_now, "total") == "7"  # moved inside the province: its total is unchanged


def test_export_form_carries_the_date_and_a_period(client, province_staff, org_tree, people):
    html = get(client, province_staff, org_tree.province, as_of="2026-02-01").content.decode()

    assert f'action="{reverse("reports:export_xlsx", args=[org_tree.province.pk])}"' in html
    assert f'formaction="{reverse("reports:export_docx", args=[org_tree.province.pk])}"' in html
    assert 'name="as_of" value="2026-02-01"' in html
    assert 'name="from" value="2026-01-01"' in html
    assert 'name="to" value="2026-02-01"' in html


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("hôm qua", "Ngày không hợp lệ: «hôm qua». Hãy nhập theo dạng dd/mm/yyyy."),
        ("31/02/2026", "Ngày không hợp lệ: «31/02/2026»"),
        ("2026-03-11", "Ngày 11/03/2026 chưa đến"),
        ("01/01/1900", "Ngày không thể trước ngày thành lập Đảng (03/02/1930)."),
    ],
)
def test_a_bad_or_future_date_shows_a_message_and_todays_figures(
    client, province_staff, org_tree, people, raw, message
):
    response = get(client, province_staff, org_tree.province, as_of=raw)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Đang hiển thị số liệu hôm nay." in html
    assert "Số liệu hôm nay, 10/03/2026" in html
    assert card(html, "total") == "7"


def test_a_date_before_the_organization_existed_says_so(client, province_staff, org_tree, people):
    html = get(client, province_staff, org_tree.commune_a, as_of="30/06/2025").content.decode()

    assert "chưa được thành lập (thành lập ngày 01/07/2025)" in html
    assert card(html, "total") == "0"


@pytest.mark.parametrize("persona", ["outsider", "commune_b_staff"])
def test_out_of_scope_dashboards_are_404(client, org_tree, people, persona, request):
    user = request.getfixturevalue(persona)

    for org in (org_tree.commune_a, org_tree.cell_a, org_tree.province):
        response = get(client, user, org)
        assert response.status_code == 404
        assert "Nguyễn Văn An" not in response.content.decode()


def test_outsider_has_no_statistics_home(client, outsider):
    client.force_login(outsider)

    assert client.get(reverse("reports:home")).status_code == 404


def test_anonymous_user_is_sent_to_log_in(client, org_tree):
    response = client.get(reverse("reports:dashboard", args=[org_tree.province.pk]))

    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "org_name"),
    [("province_staff", "province"), ("commune_a_staff", "commune_a"), ("member", "cell_a")],
)
def test_home_goes_to_the_dashboard_of_the_users_scope(client, org_tree, persona, org_name, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("reports:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:dashboard", args=[getattr(org_tree, org_name).pk])


def test_a_member_sees_only_their_own_organizations_dashboard(client, member, org_tree, people):
    own = get(client, member, org_tree.cell_a)

    assert own.status_code == 200
    html = own.content.decode()
    assert card(html, "total") == "3"
    # The party group under the cell is listed with its figures but not linked: it is out of reach.
    assert "Tổ đảng số 1" in html
    assert reverse("reports:dashboard", args=[org_tree.group_a.pk]) not in html
    assert reverse("reports:dashboard", args=[org_tree.commune_a.pk]) not in html  # no breadcrumb up
    for org in (org_tree.commune_a, org_tree.group_a, org_tree.province):
        assert get(client, member, org).status_code == 404


def test_todays_dashboard_query_count_is_flat(
    client, province_staff, org_tree, people, django_assert_max_num_queries
):
    client.force_login(province_staff)
    url = reverse("reports:dashboard", args=[org_tree.province.pk])

    # 12 for the figures, 2 to look for a finished quality-review round (this year, last year).
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
