"""Helpers shared by the congress pages: scoped lookups, the as-of date, the 403 page, the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from dangvu.core.formats import fmt_date, parse_date
from dangvu.core.rules import Rule, rule
from dangvu.core.scoping import scope_q
from dangvu.organizations import selectors as org_selectors
from dangvu.organizations.models import Organization

from .. import selectors
from ..choices import Level
from ..models import Congress, CongressDocument, CongressRound

# How the headline names the organizations of a level: "1.352/1.719 chi bộ (78,65%)".
LEVEL_UNIT = {
    Level.CELL: "chi bộ",
    Level.SUB_COMMITTEE: "đảng bộ bộ phận",
    Level.BASE: "tổ chức cơ sở đảng",
    Level.COMMUNE: "đảng bộ xã, phường, đặc khu",
    Level.PROVINCIAL: "đảng bộ trực thuộc tỉnh",
    Level.PROVINCE: "đảng bộ tỉnh, thành phố",
}
PARTY_FOUNDED = date(1930, 2, 3)


def wants_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


def visible_round(request: HttpRequest, pk: int) -> CongressRound:
    return selectors.round_get(user=request.user, pk=pk)


def visible_congress(request: HttpRequest, pk: int) -> Congress:
    return selectors.congress_get(user=request.user, pk=pk)


def visible_document(request: HttpRequest, pk: int) -> CongressDocument:
    """A document of a congress the user can see; 404 otherwise (same as a missing one)."""
    qs = CongressDocument.objects.select_related("congress")
    q = scope_q(request.user, "congress__organization__path")
    if q is not None:
        qs = qs.filter(q)
    return get_object_or_404(qs, pk=pk)


def org_in_round(request: HttpRequest, rnd: CongressRound, org_pk: int) -> Organization:
    """The organization if the user sees it and it lies under the round's organization; 404 otherwise."""
    org = org_selectors.organization_get(user=request.user, pk=org_pk)
    if not org.path.startswith(rnd.organization.path):
        raise Http404
    return org


def start_org(request: HttpRequest, rnd: CongressRound) -> Organization:
    """Where a user's view of a round starts: the round's organization if visible, else the top of
    the user's scope under it (a commune in the province's round)."""
    if Organization.objects.visible_to(request.user).filter(pk=rnd.organization_id).exists():
        return rnd.organization
    for root in org_selectors.scope_roots(user=request.user):
        if root.path.startswith(rnd.organization.path):
            return root
    raise Http404


def crumbs(request: HttpRequest, rnd: CongressRound, org: Organization) -> list[Organization]:
    """The visible organizations from the round's organization down to `org`'s parent."""
    return [
        a
        for a in org_selectors.breadcrumbs(user=request.user, org=org)
        if a.path.startswith(rnd.organization.path)
    ]


def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """The 403 page with the service's own Vietnamese message."""
    message = str(exc) or "Tài khoản của bạn không được phép thực hiện thao tác này."
    return render(request, "congresses/forbidden.html", {"message": message}, status=403)


def parse_as_of(raw: str | None) -> tuple[date | None, str]:
    """The as-of date of `?ngay=` (dd/mm/yyyy or yyyy-mm-dd from a date input) and a message if refused.

    None means today. An unreadable or future date falls back to today with a Vietnamese message.
    """
    text = (raw or "").strip()
    if not text:
        return None, ""
    today = timezone.localdate()
    try:
        on = parse_date(text)
    except ValueError as exc:
        return None, f"{exc} Đang hiển thị tiến độ hôm nay."
    if on < PARTY_FOUNDED:
        return None, "Ngày không thể trước ngày thành lập Đảng (03/02/1930). Đang hiển thị tiến độ hôm nay."
    if on > today:
        return (
            None,
            f"Ngày {fmt_date(on)} chưa đến: chỉ xem được tiến độ đến hôm nay. Đang hiển thị tiến độ hôm nay.",
        )
    if on == today:
        return None, ""
    return on, ""


@dataclass(frozen=True)
class RuleLine:
    title: str
    text: str
    source: str


def _rule(key: str, on: date) -> Rule | None:
    try:
        return rule(key, on=on)
    except ImproperlyConfigured:
        return None


def _share(pair: Any) -> str:
    return f"{pair[0]}/{pair[1]}"


def rules_in_force(rnd: CongressRound) -> list[RuleLine]:
    """The congress rules that apply to the round (those in force on its first day), with their source."""
    on = rnd.starts_on
    lines: list[RuleLine] = []
    terms = _rule("congress.cell_term_pilot" if rnd.pilot_five_year else "congress.term_months", on)
    if terms is not None:
        tolerance = (terms.value.get("tolerance_months") or {}).get(rnd.level)
        text = f"{rnd.term_months} tháng (nhiệm kỳ {rnd.term_label})"
        if tolerance and not rnd.pilot_five_year:
            text += f"; có thể sớm hoặc muộn hơn không quá {tolerance} tháng"
        lines.append(RuleLine("Nhiệm kỳ", text + ".", terms.citation))
    quorum = _rule("congress.quorum", on)
    if quorum is not None:
        share = _share(quorum.value["attendance_share"])
        text = f"Đại hội hợp lệ khi có ít nhất {share} số đại biểu, đảng viên được triệu tập có mặt."
        lines.append(RuleLine("Số có mặt", text, quorum.citation))
    majority = _rule("congress.election_majority", on)
    if majority is not None:
        text = (
            f"Người trúng cử phải được quá {_share(majority.value['more_than_share'])} số phiếu bầu hợp lệ."
        )
        lines.append(RuleLine("Bầu cử", text, majority.citation))
    if rnd.level in (Level.CELL, Level.BASE):
        lead = _rule("congress.cell_leadership", on)
        if lead is not None:
            v = lead.value
            text = (
                f"Chi bộ dưới {v['committee_from_official']} đảng viên chính thức bầu bí thư "
                f"(và phó bí thư nếu cần); từ {v['committee_from_official']} đảng viên chính thức "
                "trở lên bầu chi ủy"
            )
            if v.get("max_committee"):
                text += f" không quá {v['max_committee']} đồng chí"
            if v.get("max_deputies"):
                text += f", không quá {v['max_deputies']} phó bí thư"
            lines.append(RuleLine("Chi ủy, bí thư chi bộ", text + ".", lead.citation))
    age = _rule("congress.age_reference", on)
    if age is not None:
        v = age.value
        month = (v.get("months") or {}).get(rnd.level, "")
        when = f" tính đến tháng {month[5:]}/{month[:4]}" if month else ""
        text = (
            f"Tham gia cấp ủy lần đầu phải còn ít nhất {v['first_time_months']} tháng công tác, "
            f"tái cử còn ít nhất {v['reelected_months']} tháng{when}."
        )
        lines.append(RuleLine("Tuổi tham gia cấp ủy", text, age.citation))
    return lines
