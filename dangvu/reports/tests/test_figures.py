"""Figures for a past date come from the event history under the tree of that date: changing the
present (transfers, exits, moves of cells and communes) leaves them exactly as they were, and
changes today's figures exactly as the change says. Every write goes through the services."""

from __future__ import annotations

import datetime
from collections import Counter
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from dangvu.members import services
from dangvu.members.choices import Gender, Status
from dangvu.organizations import services as org_services
from dangvu.organizations.models import Kind, Organization
from dangvu.reports import figures, statistics, tallies

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 6, 15)
PAST = D(2026, 3, 1)


def person(name: str, **over) -> dict:
    data = {
        "full_name": name,
        "gender": Gender.MALE,
        "birth_date": D(1980, 3, 10),
        "admission_decision_date": D(2010, 5, 9),
        "ceremony_date": D(2010, 5, 19),
    }
    data.update(over)
    return data


def register(actor, org, name: str, **over):
    """An official member entered from paper records (admitted in 2010)."""
    return services.member_register(actor=actor, organization=org, data=person(name, **over))


def admit(actor, org, name: str, on: datetime.date, **over):
    """A new probationary member admitted on `on`."""
    data = person(name, admission_decision_date=on, ceremony_date=on, birth_date=D(2000, 1, 2), **over)
    return services.member_admit(actor=actor, organization=org, data=data)


def transfer(sender, receiver, member, to_org, on: datetime.date | None = None):
    t = services.transfer_issue(actor=sender, member=member, kind="official", to_org=to_org, issued_on=on)
    return services.transfer_accept(actor=receiver, transfer=t, accepted_on=on)


def comparable(counter: Counter) -> Counter:
    """The counter without its zero entries (a counter row may hold 0 for a while)."""
    return Counter({k: n for k, n in counter.items() if n})


def total_of(org: Organization, on: datetime.date) -> Counter:
    total, _children, _tree = figures.counts_for(org, on)
    return total


def history_totals(org: Organization, on: datetime.date) -> dict[int, Counter]:
    """Every organization's total under `org` on `on`, counted from the event history."""
    _own, total = figures.counts_as_of(figures.tree_as_of(org, on))
    return {k: +v for k, v in total.items()}


NOW = datetime.datetime(2026, 6, 15, 9, 0)


def build_history(t: SimpleNamespace, staff) -> SimpleNamespace:
    """Seven members: five in commune A (one admitted this year), two in commune B."""
    tallies.rebuild()  # the fixture tree is made by factories, not by the services
    return SimpleNamespace(
        a1=register(staff, t.cell_a, "Nguyễn Văn Một"),
        a2=register(staff, t.cell_a, "Trần Văn Hai"),
        a3=register(staff, t.cell_a, "Lê Văn Ba"),
        p1=admit(staff, t.cell_a, "Phạm Thị Tư", D(2026, 2, 10), gender=Gender.FEMALE),
        s1=register(staff, t.school_cell, "Hoàng Thị Năm", gender=Gender.FEMALE, ethnicity="02"),
        b1=register(staff, t.cell_b, "Vũ Văn Sáu"),
        b2=register(staff, t.cell_b, "Đỗ Văn Bảy"),
    )


@pytest.fixture
def today():
    with time_machine.travel(NOW, tick=False):
        yield TODAY


@pytest.fixture
def history(org_tree, province_staff, today):
    return build_history(org_tree, province_staff)


def test_history_gives_the_figures_of_the_day(history, org_tree):
    t = org_tree
    assert total_of(t.province, PAST)["all"] == 7
    assert total_of(t.commune_a, PAST)["all"] == 5
    assert total_of(t.commune_b, PAST)["all"] == 2
    assert total_of(t.province, PAST)[f"st:{Status.PROBATIONARY}"] == 1
    # Before the member admitted on 10/02/2026:
    assert total_of(t.commune_a, D(2026, 2, 9))["all"] == 4
    # Counted from events on a past date, from the counters today: the same numbers.
    assert comparable(total_of(t.province, TODAY)) == comparable(
        history_totals(t.province, TODAY)[t.province.pk]
    )


def test_member_admit_counts_the_admission_year(org_tree, province_staff, today):
    tallies.rebuild()
    admit(province_staff, org_tree.cell_a, "Phạm Thị Tư", D(2026, 2, 10))

    assert total_of(org_tree.province, TODAY)["ad:2026"] == 1


def test_changing_the_present_never_changes_a_past_date(history, org_tree, province_staff, system_admin):
    t, staff, m = org_tree, province_staff, history
    past_before = history_totals(t.central, PAST)
    snapshot_before = statistics.snapshot(t.province, PAST)

    # Today: a transfer from commune A to commune B, a death, a whole cell moved to commune B.
    transfer(staff, staff, m.a1, t.cell_b)
    services.member_exit(actor=staff, member=m.a2, kind="deceased", effective_on=TODAY, reason="Từ trần")
    org_services.organization_move(actor=staff, org=t.school_cell, new_parent=t.commune_b)

    assert history_totals(t.central, PAST) == past_before
    assert [total_of(o, TODAY)["all"] for o in (t.province, t.commune_a, t.commune_b)] == [6, 2, 4]
    assert total_of(t.commune_b, TODAY)["g:female"] == 1  # the moved cell brought its member
    assert total_of(t.commune_a, TODAY)["org:cell"] == 1
    assert total_of(t.commune_b, TODAY)["org:cell"] == 2

    # More changes today: a transfer back the other way, and commune B moved to another province.
    other = org_services.organization_create(
        actor=system_admin, parent=t.central, code="T98", name="Đảng bộ tỉnh Khác", kind=Kind.PROVINCE,
        founded_on=TODAY,
    )  # fmt: skip
    transfer(staff, staff, m.b1, t.cell_a)
    org_services.organization_move(actor=system_admin, org=t.commune_b, new_parent=other)

    assert history_totals(t.central, PAST) == past_before
    after = statistics.snapshot(t.province, PAST)
    assert after.figures == snapshot_before.figures
    assert after.children == snapshot_before.children
    assert [c["code"] for c, _f in after.children] == ["T99-AB", "T99-BS"]  # as the tree stood then
    assert [total_of(o, TODAY)["all"] for o in (t.province, t.commune_a, t.commune_b, other, t.central)] == [
        3,
        3,
        3,
        3,
        6,
    ]
    # Today's counters agree with today's history after all of it.
    for org in (t.central, t.province, other, t.commune_a, t.commune_b):
        assert comparable(total_of(org, TODAY)) == comparable(history_totals(t.central, TODAY)[org.pk])


def test_a_transfer_today_changes_only_todays_figures(history, org_tree, province_staff):
    t, m = org_tree, history
    yesterday = TODAY - datetime.timedelta(days=1)
    before = {
        o.code: (total_of(o, yesterday), total_of(o, TODAY)) for o in (t.province, t.commune_a, t.commune_b)
    }

    transfer(province_staff, province_staff, m.a3, t.cell_b)

    after = {
        o.code: (total_of(o, yesterday), total_of(o, TODAY)) for o in (t.province, t.commune_a, t.commune_b)
    }
    for code in before:
        assert after[code][0] == before[code][0]  # yesterday: unchanged everywhere
    assert after["T99-AB"][1]["all"] == before["T99-AB"][1]["all"] - 1
    assert after["T99-BS"][1]["all"] == before["T99-BS"][1]["all"] + 1
    assert comparable(after["T99"][1]) == comparable(
        before["T99"][1]
    )  # the province total does not move at all
    period = statistics.period(t.province, D(2026, 1, 1), TODAY)
    assert (period["increase"]["transferred_in"], period["decrease"]["transferred_out"]) == (0, 0)
    commune_b = statistics.period(t.commune_b, TODAY, TODAY)
    assert commune_b["increase"]["transferred_in_same_province"] == 1
    assert (commune_b["opening"], commune_b["closing"], commune_b["balanced"]) == (2, 3, True)


def test_counts_as_of_today_equal_the_counters_on_the_demo_seed(db):
    """The Python twin `member_keys` and the SQL families count the same keys on varied data."""
    call_command("seed", province="04", communes=2, no_accounts=True, seed=3, verbosity=0)
    province = Organization.objects.get(code="T04")
    today = datetime.date.today()
    tree = figures.tree_as_of(province, today)
    own, total = figures.counts_as_of(tree)
    stored = figures.today_counts(tree.ids())
    assert total[province.pk]["all"] > 100
    mismatched = [o for o in tree.ids() if +total[o] != stored.get(o, Counter())]
    assert mismatched == []
    fresh = tallies.own_counts(sorted(tree.ids()))
    assert {(o, k): n for o, c in own.items() for k, n in c.items() if n} == fresh


def test_counting_back_from_today_equals_the_history_on_the_demo_seed(db):
    """A past date with no move since is counted from today's counters minus the changes since;
    it must give exactly what the full history gives, for the root and every child, at any date."""
    call_command("seed", province="04", communes=2, no_accounts=True, seed=3, verbosity=0)
    province = Organization.objects.get(code="T04")
    today = timezone.localdate()
    dates = [
        today - datetime.timedelta(days=1),
        today - datetime.timedelta(days=45),
        today - datetime.timedelta(days=200),
        datetime.date(2025, 7, 1),
        datetime.date(2025, 6, 30),
    ]
    for on in dates:
        tree = figures.tree_as_of(province, on)
        assert not tree.moved_since
        _own, history = figures.counts_as_of(tree)
        root, children = figures.counts_back_from_today(tree)
        assert root == +history.get(province.pk, Counter()), on
        for child in tree.children(province.pk):
            assert children.get(child, Counter()) == +history[child], (on, child)
