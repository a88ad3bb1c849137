"""Synthetic members (`dangvu seed`): plausible people, lives that follow the rules, loaded once."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from dangvu.members.choices import ACTIVE_STATUSES, KINH, Status
from dangvu.members.models import Member, MemberEvent, Transfer
from dangvu.members.rules import add_months, age_in_months
from dangvu.members.seeding import seed_members
from dangvu.members.seeding.people import KINH_FAMILIES, MINORITY, MOUNTAIN_FAMILIES_FOR_KINH
from dangvu.organizations.models import Organization
from dangvu.organizations.seeding import seed_tree

AS_OF = date(2026, 11, 23)
FAMILY_WORDS = {
    name.split()[0]
    for pool in (KINH_FAMILIES, MOUNTAIN_FAMILIES_FOR_KINH, *(pools[0] for pools in MINORITY.values()))
    for name in pool.items
}


def load(province: str = "04", communes: int = 2, seed: int = 7):
    seed_tree(province_codes=[province], scale="demo", seed=seed, communes=communes)
    return seed_members(province_codes=[province], scale="demo", seed=seed, as_of=AS_OF)


def member_rows() -> list[tuple]:
    return list(
        Member.objects.order_by("id").values_list(
            "full_name", "gender", "birth_date", "citizen_id", "card_number", "status", "organization__code"
        )
    )


def latest_events() -> dict[int, MemberEvent]:
    latest: dict[int, MemberEvent] = {}
    for event in MemberEvent.objects.order_by("member_id", "effective_on", "id"):
        latest[event.member_id] = event
    return latest


def counted_on(day: date) -> int:
    """Members counted on `day` according to the events alone (what a report for that day reads)."""
    status: dict[int, str] = {}
    for member_id, status_after in (
        MemberEvent.objects.filter(effective_on__lte=day)
        .order_by("effective_on", "id")
        .values_list("member_id", "status_after")
    ):
        status[member_id] = status_after
    return sum(s in ACTIVE_STATUSES for s in status.values())


@pytest.mark.django_db
def test_same_seed_gives_the_same_members():
    load(seed=7)
    first = member_rows()
    assert len(first) > 300
    MemberEvent.objects.all().delete()
    Transfer.objects.all().delete()
    Member.history.all().delete()
    Member.objects.all().delete()
    seed_members(province_codes=["04"], scale="demo", seed=7, as_of=AS_OF)
    assert member_rows() == first


@pytest.mark.django_db
def test_names_are_vietnamese_family_name_first_and_cao_bang_is_mostly_minorities():
    load()
    members = list(Member.objects.values_list("full_name", "ethnicity", "gender", "search_key", "name_sort"))
    assert all(name.split()[0] in FAMILY_WORDS for name, *_ in members)
    assert all(len(name.split()) >= 2 for name, *_ in members)
    ethnic = Counter(e for _, e, *_ in members)
    assert ethnic[KINH] / len(members) < 0.2  # Cao Bằng: about 95% Tày, Nùng, HMông, Dao…
    assert {"02", "07"} <= set(ethnic)  # Tày and Nùng
    women = sum(g == "female" for _, _, g, *_ in members) / len(members)
    assert 0.28 < women < 0.45
    assert all(key and key.isascii() and key == key.lower() for *_, key, _sort in members)


@pytest.mark.django_db
def test_lowland_members_are_mostly_kinh_and_often_nguyen():
    load(province="01", communes=2)
    names = list(Member.objects.values_list("full_name", "ethnicity"))
    assert sum(e == KINH for _, e in names) / len(names) > 0.9
    nguyen = sum(n.startswith("Nguyễn ") for n, _ in names) / len(names)
    assert 0.25 < nguyen < 0.5


@pytest.mark.django_db
def test_admission_dates_follow_the_rules():
    load()
    for m in Member.objects.all():
        months = age_in_months(m.birth_date, m.admission_decision_date)
        assert 18 * 12 <= months <= 60 * 12, (m.full_name, m.birth_date, m.admission_decision_date)
        assert 0 <= (m.ceremony_date - m.admission_decision_date).days <= 30
        if m.official_on is not None:
            assert m.official_on == add_months(m.ceremony_date, 12) <= AS_OF
        if m.status == Status.PROBATIONARY:
            assert m.official_on is None and add_months(m.ceremony_date, 12) > AS_OF
        if m.status == Status.OFFICIAL:
            assert m.official_on is not None


@pytest.mark.django_db
def test_current_state_is_the_state_after_the_latest_event():
    load()
    latest = latest_events()
    members = list(Member.objects.all())
    assert len(latest) == len(members)
    for m in members:
        assert m.status == latest[m.pk].status_after, m.full_name
    # The organization of every arrival is where the member is counted today.
    arrivals = {}
    for e in MemberEvent.objects.filter(kind__in=["admitted", "transferred_in"]).order_by(
        "effective_on", "id"
    ):
        arrivals[e.member_id] = e.organization_id
    assert all(arrivals[m.pk] == m.organization_id for m in members)
    assert Member.history.count() == len(members)


@pytest.mark.django_db
def test_history_has_transfers_exits_exemptions_and_open_transfers():
    load(communes=4)
    kinds = Counter(MemberEvent.objects.values_list("kind", flat=True))
    for kind in (
        "admitted",
        "recognized_official",
        "transferred_out",
        "transferred_in",
        "deceased",
        "exempted",
    ):
        assert kinds[kind] > 0, kind
    done = Transfer.objects.filter(state=Transfer.State.COMPLETED, to_org__isnull=False)
    assert done.exists()
    for t in done[:20]:
        out = MemberEvent.objects.get(member=t.member, kind="transferred_out")
        arrived = MemberEvent.objects.get(member=t.member, kind="transferred_in")
        assert out.organization_id == t.from_org_id and arrived.organization_id == t.to_org_id
        assert out.effective_on == arrived.effective_on == t.accepted_on
    open_ = Transfer.objects.filter(state__in=[Transfer.State.PENDING, Transfer.State.ACTIVE])
    assert open_.exists()
    for t in open_:
        assert t.member.status in ACTIVE_STATUSES and t.member.organization_id == t.from_org_id
    assert Member.objects.filter(status=Status.DECEASED, exempted=False).exists()
    assert all(age_in_months(m.birth_date, AS_OF) >= 70 * 12 for m in Member.objects.filter(exempted=True))


@pytest.mark.django_db
def test_counts_on_past_dates_differ_from_today():
    load()
    today = counted_on(AS_OF)
    assert today == Member.objects.active().count()
    five_years_ago = counted_on(AS_OF - timedelta(days=5 * 365))
    assert 0 < five_years_ago < today + Member.objects.exclude(status__in=ACTIVE_STATUSES).count()
    assert five_years_ago != today
    assert counted_on(date(1990, 1, 1)) < five_years_ago


@pytest.mark.django_db
def test_citizen_ids_and_card_numbers_are_unique_and_well_formed():
    load(communes=3)
    rows = list(
        Member.objects.values_list("citizen_id", "card_number", "gender", "birth_date", "phone", "status")
    )
    ids = [r[0] for r in rows if r[0]]
    assert len(ids) == len(rows) and len(set(ids)) == len(ids)
    for cid, card, gender, birth, phone, status in rows:
        assert len(cid) == 12 and cid.isdigit() and cid.startswith("004")
        century = 0 if birth.year < 2000 else 2
        assert int(cid[3]) == century + (gender == "female") and cid[4:6] == f"{birth.year % 100:02d}"
        assert phone == "" or (len(phone) == 10 and phone[:2] in {"09", "03"})
        if status == Status.PROBATIONARY:
            assert card is None  # cards are issued once the member is official
    cards = [r[1] for r in rows if r[1]]
    assert len(set(cards)) == len(cards) and all(len(c) == 8 and c.isdigit() for c in cards)


@pytest.mark.django_db
def test_seed_command_loads_members_once():
    def seed(*extra: str) -> str:
        out = StringIO()
        call_command("seed", "--province", "04", "--communes", "2", "--no-accounts", *extra, stdout=out)
        return out.getvalue()

    seed("--no-members")
    assert not Member.objects.exists()
    first = seed()
    assert "hồ sơ đảng viên" in first
    counts = (Member.objects.count(), MemberEvent.objects.count(), Transfer.objects.count())
    assert counts[0] > 300
    again = seed()
    assert "đã có đảng viên" in again
    assert (Member.objects.count(), MemberEvent.objects.count(), Transfer.objects.count()) == counts
    province = Organization.objects.get(code="T04")
    assert Member.objects.in_subtree(province).count() == counts[0]
