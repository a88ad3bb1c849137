"""The party life of one synthetic member: record fields and dated events, consistent with the rules.

`MemberMaker.make` returns a `Life`: the member's record, the events in date order (each with the
organization where the member was counted at the time and the status after it) and the transfers.
The current-state fields are those of the last event. Limits come from the rule parameters
(admission age in months, probation months, temporary-transfer length), read once per run.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from dangvu.core.workdays import add_working_days

from ..choices import Status
from ..models import MemberEvent, Transfer
from ..rules import add_months
from . import people

K = MemberEvent.Kind


@dataclass(frozen=True, slots=True)
class Limits:
    """Rule values in force on the seeding date."""

    admission_min_months: int
    admission_max_months: int
    probation_months: int
    report_working_days: int


@dataclass(slots=True)
class Holder:
    """An organization where members are counted (a cell, or a party group of a cell)."""

    org_id: int
    profile: str  # a key of AGE_PROFILES / occupation rules
    workplace: str
    address: str
    unit_code: str
    province_code: str
    place_name: str  # "xã Hòa An, tỉnh Cao Bằng": where births and home towns are written


@dataclass(slots=True)
class Event:
    kind: str
    on: date
    org_id: int
    status_after: str
    other_org_id: int | None = None
    decision_ref: str = ""
    data: dict | None = None


@dataclass(slots=True)
class TransferRow:
    kind: str
    state: str
    from_org_id: int
    to_org_id: int | None
    external_destination: str
    issued_on: date
    report_due_on: date
    accepted_on: date | None
    starts_on: date | None
    ends_on: date | None
    decision_ref: str


@dataclass(slots=True)
class Life:
    record: dict
    events: list[Event] = field(default_factory=list)
    transfers: list[TransferRow] = field(default_factory=list)


# Share of women, and (low, high, weight) bands of current age, by kind of organization.
FEMALE_SHARE = {
    "residential": 0.33,
    "ward_residential": 0.40,
    "administrative": 0.42,
    "public_service": 0.62,
    "military": 0.08,
    "police": 0.14,
    "state_enterprise": 0.30,
    "private_enterprise": 0.38,
    "other": 0.35,
}
WORKING_AGES = ((23, 30, 3), (31, 40, 4), (41, 50, 3), (51, 60, 2))
AGE_PROFILES = {
    "residential": ((25, 39, 2), (40, 59, 3), (60, 74, 4), (75, 92, 2)),
    "ward_residential": ((25, 39, 1), (40, 59, 2), (60, 74, 4), (75, 94, 2.5)),
    "military": ((22, 30, 4), (31, 45, 4), (46, 55, 2)),
    "police": ((22, 30, 4), (31, 45, 4), (46, 57, 2)),
}
_BAND_POOLS = {
    id(bands): people.Pool(", ".join(f"{i} {b[2]}" for i, b in enumerate(bands)))
    for bands in (WORKING_AGES, *AGE_PROFILES.values())
}
EXIT_KINDS = (  # kind, weight, status, minimum age at the event
    ("deceased", 50, Status.DECEASED, 62),
    ("transferred_out", 24, Status.TRANSFERRED_OUT, 0),
    ("removed", 12, Status.REMOVED, 0),
    ("left", 5, Status.LEFT, 0),
    ("contact_lost", 6, Status.CONTACT_LOST, 0),
    ("expelled", 3, Status.EXPELLED, 0),
)
EXIT_EVENT = {
    "deceased": K.DECEASED,
    "transferred_out": K.TRANSFERRED_OUT,
    "removed": K.REMOVED,
    "left": K.LEFT,
    "contact_lost": K.CONTACT_LOST,
    "expelled": K.EXPELLED,
}
EXIT_POOL = people.Pool(", ".join(f"{k} {w}" for k, w, _s, _a in EXIT_KINDS))
EXIT_STATUS = {k: s for k, _w, s, _a in EXIT_KINDS}
EXIT_MIN_AGE = {k: a for k, _w, _s, a in EXIT_KINDS}
EXIT_REASONS = {
    "deceased": "Từ trần",
    "removed": "Bỏ sinh hoạt đảng không có lý do chính đáng",
    "left": "Xin ra khỏi Đảng vì hoàn cảnh gia đình",
    "contact_lost": "Đi làm ăn xa, không liên lạc được",
    "expelled": "Vi phạm tư cách đảng viên",
    "transferred_out": "Chuyển nơi cư trú",
}


@lru_cache(maxsize=8192)
def _report_due(issued_on: date, days: int) -> date:
    return add_working_days(issued_on, days)


def _between(rng: random.Random, low: date, high: date) -> date:
    if high <= low:
        return low
    return low + timedelta(days=rng.randint(0, (high - low).days))


class MemberMaker:
    """Makes members for one province. `pick_cell(rng, not_id)` gives another organization id."""

    def __init__(self, *, as_of: date, limits: Limits, other_org, external_places: list[str]) -> None:
        self.as_of = as_of
        self.limits = limits
        self.other_org = other_org
        self.external_places = external_places
        self.probation_start = add_months(as_of, -limits.probation_months)

    # -- identity -----------------------------------------------------------------------------
    def _age(self, rng: random.Random, profile: str, exiting: str | None) -> int:
        if exiting == "deceased":
            return rng.randint(68, 95)
        bands = AGE_PROFILES.get(profile, WORKING_AGES)
        low, high, _w = bands[int(_BAND_POOLS[id(bands)].pick(rng))]
        return rng.randint(low, high)

    def _record(self, rng: random.Random, h: Holder, age: int, gender: str) -> dict:
        ethnic = people.ethnicity(rng, h.province_code)
        birth = date(self.as_of.year - age - 1, 1, 1) + timedelta(days=rng.randint(0, 364))
        retired = h.profile.endswith("residential") and age >= 60
        return {
            "full_name": people.full_name(rng, gender=gender, ethnic=ethnic, province_code=h.province_code),
            "gender": gender,
            "birth_date": birth,
            "birth_place": h.place_name,
            "home_town": h.place_name,
            "home_town_unit": h.unit_code,
            "permanent_address": h.address,
            "permanent_unit": h.unit_code,
            "current_address": h.address,
            "current_unit": h.unit_code,
            "ethnicity": ethnic,
            "religion": people.religion(rng, h.province_code),
            "phone": people.phone(rng) if rng.random() < 0.93 else "",
            "occupation": _occupation(rng, h.profile, age, retired),
            "workplace": h.workplace,
            **_schooling(rng, h.profile, age),
        }

    # -- life ---------------------------------------------------------------------------------
    def make(self, rng: random.Random, h: Holder, *, exiting: str | None = None) -> Life:
        """One member counted (or last counted, if `exiting`) at `h`."""
        lim = self.limits
        gender = "female" if rng.random() < FEMALE_SHARE.get(h.profile, 0.38) else "male"
        age = self._age(rng, h.profile, exiting)
        rec = self._record(rng, h, age, gender)
        birth = rec["birth_date"]
        months_now = _age_months(birth, self.as_of)
        latest = min(lim.admission_max_months, months_now - 1)
        if exiting is None and rng.random() < 0.06 and months_now > lim.admission_min_months + 13:
            # A recent admission: decision within the last probation year (probationary now).
            decision = self.as_of - timedelta(days=rng.randint(40, 360))
            if _age_months(birth, decision) > lim.admission_max_months:
                decision = add_months(birth, lim.admission_max_months)
        else:
            target = int(max(18.0, min(60.0, rng.gauss(27, 6))) * 12)
            if target > latest - 12:  # younger than the drawn admission age: any time since 18
                target = rng.randint(lim.admission_min_months, max(lim.admission_min_months, latest - 12))
            months = max(lim.admission_min_months, min(latest, target))
            decision = add_months(birth, months) + timedelta(days=rng.randint(0, 27))
            if months >= lim.admission_max_months:
                decision = add_months(birth, lim.admission_max_months)
        decision = min(decision, self.as_of - timedelta(days=31))
        if _age_months(birth, decision) < lim.admission_min_months:  # young and near today
            decision = add_months(birth, lim.admission_min_months) + timedelta(days=1)
        ceremony = min(decision + timedelta(days=rng.randint(0, 30)), self.as_of)
        official_on = add_months(ceremony, lim.probation_months)
        rec["admission_decision_date"] = decision
        rec["ceremony_date"] = ceremony
        serial = rng.randint(1, 999)
        rec["sponsor_1"] = people.full_name(
            rng, gender="male", ethnic=rec["ethnicity"], province_code=h.province_code
        )
        rec["sponsor_2"] = people.full_name(rng, gender="female", ethnic="01", province_code=h.province_code)

        # Where the member was counted before: a few percent came by an official transfer.
        home = h.org_id
        moved_on: date | None = None
        if official_on < self.as_of - timedelta(days=120) and rng.random() < 0.04:
            home = self.other_org(rng, h.org_id)
            moved_on = _between(rng, official_on + timedelta(days=30), self.as_of - timedelta(days=60))
        life = Life(record=rec)
        ev = life.events
        ev.append(Event(K.ADMITTED, decision, home, Status.PROBATIONARY, decision_ref=f"{serial}-QĐ/ĐU"))
        status = Status.PROBATIONARY
        if official_on <= self.as_of:
            status = Status.OFFICIAL
            ev.append(
                Event(K.RECOGNIZED_OFFICIAL, official_on, home, status, decision_ref=f"{serial + 7}-QĐ/ĐU")
            )
        if moved_on is not None:
            issued = moved_on - timedelta(days=rng.randint(3, 20))
            issued = max(issued, ev[-1].on)
            moved_on = max(moved_on, issued)
            ref = f"{rng.randint(10, 999)}-GGT/ĐU"
            ev.append(Event(K.TRANSFER_ISSUED, issued, home, status, other_org_id=h.org_id, decision_ref=ref))
            ev.append(
                Event(K.TRANSFERRED_OUT, moved_on, home, status, other_org_id=h.org_id, decision_ref=ref)
            )
            ev.append(
                Event(K.TRANSFERRED_IN, moved_on, h.org_id, status, other_org_id=home, decision_ref=ref)
            )
            life.transfers.append(
                TransferRow(
                    Transfer.Kind.OFFICIAL,
                    Transfer.State.COMPLETED,
                    home,
                    h.org_id,
                    "",
                    issued,
                    _report_due(issued, lim.report_working_days),
                    moved_on,
                    None,
                    None,
                    ref,
                )
            )
        exempted = False
        if status == Status.OFFICIAL and age >= 72 and rng.random() < 0.4:
            on = max(add_months(birth, 70 * 12) + timedelta(days=rng.randint(0, 1500)), ev[-1].on)
            if on < self.as_of - timedelta(days=2):
                exempted = True
                ev.append(
                    Event(K.EXEMPTED, on, h.org_id, status, decision_ref=f"{rng.randint(10, 999)}-QĐ/ĐU")
                )
        if exiting is not None:
            self._exit(rng, life, h, exiting, birth, status)
        else:
            self._pending(rng, life, h, status, exempted)
        last = ev[-1]
        rec["status"] = last.status_after
        rec["exempted"] = exempted
        rec["official_on"] = official_on if any(e.kind == K.RECOGNIZED_OFFICIAL for e in ev) else None
        rec["organization_id"] = h.org_id
        return life

    def _exit(self, rng: random.Random, life: Life, h: Holder, kind: str, birth: date, status: str) -> None:
        ev = life.events
        low = max(ev[-1].on + timedelta(days=1), add_months(birth, 12 * EXIT_MIN_AGE[kind]))
        on = _between(rng, max(low, self.as_of - timedelta(days=8 * 365)), self.as_of - timedelta(days=1))
        if on < low:
            on = low
        if on > self.as_of:
            return  # too young to die today; stays counted
        if kind == "expelled" and status != Status.OFFICIAL:
            kind = "removed"
        ref = f"{rng.randint(10, 999)}-QĐ/ĐU"
        if kind == "transferred_out":
            issued = max(on - timedelta(days=rng.randint(5, 25)), ev[-1].on)
            place = rng.choice(self.external_places)
            ev.append(
                Event(K.TRANSFER_ISSUED, issued, h.org_id, status, decision_ref=ref, data={"to": place})
            )
            ev.append(
                Event(
                    K.TRANSFERRED_OUT,
                    on,
                    h.org_id,
                    Status.TRANSFERRED_OUT,
                    decision_ref=ref,
                    data={"to": place},
                )
            )
            life.transfers.append(
                TransferRow(
                    Transfer.Kind.OFFICIAL,
                    Transfer.State.COMPLETED,
                    h.org_id,
                    None,
                    place,
                    issued,
                    _report_due(issued, self.limits.report_working_days),
                    on,
                    None,
                    None,
                    ref,
                )
            )
            return
        data = {"status_before": status}
        ev.append(Event(EXIT_EVENT[kind], on, h.org_id, EXIT_STATUS[kind], decision_ref=ref, data=data))

    def _pending(self, rng: random.Random, life: Life, h: Holder, status: str, exempted: bool) -> None:
        """A handful of members are in the middle of a transfer today."""
        roll = rng.random()
        ev = life.events
        if roll < 0.003:  # pending official transfer, issued in the last weeks
            issued = max(self.as_of - timedelta(days=rng.randint(1, 25)), ev[-1].on)
            to = self.other_org(rng, h.org_id)
            ref = f"{rng.randint(10, 999)}-GGT/ĐU"
            ev.append(Event(K.TRANSFER_ISSUED, issued, h.org_id, status, other_org_id=to, decision_ref=ref))
            life.transfers.append(
                TransferRow(
                    Transfer.Kind.OFFICIAL,
                    Transfer.State.PENDING,
                    h.org_id,
                    to,
                    "",
                    issued,
                    _report_due(issued, self.limits.report_working_days),
                    None,
                    None,
                    None,
                    ref,
                )
            )
        elif roll < 0.007 and not exempted:  # temporary activity elsewhere (work, study)
            issued = self.as_of - timedelta(days=rng.randint(30, 150))
            if issued <= ev[-1].on:
                return
            starts = issued + timedelta(days=rng.randint(1, 10))
            ends = add_months(starts, rng.choice((3, 6, 9)))
            to = self.other_org(rng, h.org_id)
            ref = f"{rng.randint(10, 999)}-GGT/ĐU"
            data = {"ends_on": ends.isoformat()}
            ev.append(Event(K.TRANSFER_ISSUED, issued, h.org_id, status, other_org_id=to, decision_ref=ref))
            ev.append(
                Event(
                    K.TEMPORARY_START, starts, h.org_id, status, other_org_id=to, decision_ref=ref, data=data
                )
            )
            life.transfers.append(
                TransferRow(
                    Transfer.Kind.TEMPORARY,
                    Transfer.State.ACTIVE,
                    h.org_id,
                    to,
                    "",
                    issued,
                    _report_due(issued, self.limits.report_working_days),
                    starts,
                    starts,
                    ends,
                    ref,
                )
            )


_P = {
    key: people.Pool(text)
    for key, text in {
        "retired": "retired 70, farmer 22, self_employed 8",
        "ward": "self_employed 35, private_enterprise 30, official 10, public_employee 10, other 15",
        "village": "farmer 55, self_employed 15, private_enterprise 12, official 6, other 12",
        "edu_old": "primary 20, lower_secondary 40, upper_secondary 40",
        "edu_young": "primary 3, lower_secondary 25, upper_secondary 72",
        "qual_res": "none 50, elementary 10, vocational 17, college 6, bachelor 16, master 1",
        "theory_res": "none 30, elementary 62, intermediate 8",
        "qual_staff": "vocational 9, college 8, bachelor 66, master 15, doctor 2",
        "theory_senior": "none 8, elementary 45, intermediate 35, advanced 10, bachelor 2",
        "theory_junior": "none 30, elementary 60, intermediate 9, advanced 1",
    }.items()
}


def _age_months(birth: date, on: date) -> int:
    """`rules.age_in_months` without its loops (same end-of-month clamping)."""
    months = (on.year - birth.year) * 12 + on.month - birth.month
    if on.day < min(birth.day, calendar.monthrange(on.year, on.month)[1]):
        months -= 1
    return months


def _occupation(rng: random.Random, profile: str, age: int, retired: bool) -> str:
    if profile.endswith("residential"):
        if retired:
            return _P["retired"].pick(rng)
        if profile == "ward_residential":
            return _P["ward"].pick(rng)
        return _P["village"].pick(rng)
    return {
        "administrative": "official",
        "public_service": "public_employee",
        "military": "armed_forces",
        "police": "armed_forces",
        "state_enterprise": "state_enterprise",
        "private_enterprise": "private_enterprise",
    }.get(profile, rng.choice(("farmer", "other")))


def _schooling(rng: random.Random, profile: str, age: int) -> dict:
    if profile.endswith("residential"):
        education = (_P["edu_old"] if age >= 60 else _P["edu_young"]).pick(rng)
        qualification = _P["qual_res"].pick(rng)
        theory = _P["theory_res"].pick(rng)
    else:
        education = "upper_secondary" if rng.random() < 0.98 else "lower_secondary"
        qualification = _P["qual_staff"].pick(rng)
        theory = (_P["theory_senior"] if age >= 35 else _P["theory_junior"]).pick(rng)
    return {"education": education, "qualification": qualification, "theory_level": theory}
