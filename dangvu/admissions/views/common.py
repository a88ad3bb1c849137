"""Helpers shared by the party-development pages: scoped lookups, the period and as-of date, the 403 page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from dangvu.core.formats import fmt_date, parse_date
from dangvu.organizations import selectors as org_selectors
from dangvu.organizations.forms import PARTY_FOUNDED
from dangvu.organizations.models import Organization

from .. import selectors, services
from ..models import Candidate


def wants_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


def partial(request: HttpRequest, template: str, name: str) -> str:
    return f"{template}#{name}" if wants_fragment(request) else template


def visible_org(request: HttpRequest, org_pk: int) -> Organization:
    """The organization, or 404 if it is missing or outside the user's scope."""
    return org_selectors.organization_get(user=request.user, pk=org_pk)


def top_org(request: HttpRequest) -> Organization:
    """Where the user's view starts: the topmost organization of their scope."""
    roots = org_selectors.scope_roots(user=request.user)
    if not roots:
        raise Http404
    return sorted(roots, key=lambda o: o.path)[0]


def followed_org(request: HttpRequest, org_pk: int) -> Organization:
    """An organization whose candidates and probationary members the user may follow: staff above
    it, its leaders and cell secretaries. A plain member sees 404, the same as an outsider."""
    org = visible_org(request, org_pk)
    if not services.can_manage_candidates(request.user, org):
        raise Http404
    return org


def visible_candidate(request: HttpRequest, pk: int) -> Candidate:
    candidate = get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related(
            "organization", "sponsor_1", "sponsor_2", "decided_by", "member", "created_by"
        ),
        pk=pk,
    )
    if not services.can_manage_candidates(request.user, candidate.organization):
        raise Http404
    return candidate


def crumbs(request: HttpRequest, org: Organization) -> list[Organization]:
    """The visible organizations above `org`, top down."""
    return org_selectors.breadcrumbs(user=request.user, org=org)


def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """The 403 page with the service's own Vietnamese message."""
    message = str(exc) or "Tài khoản của bạn không được phép thực hiện thao tác này."
    return render(request, "admissions/forbidden.html", {"message": message}, status=403)


# ---------------------------------------------------------------------------------------------
# The period (`?ky=2026`, `?ky=2025-2030`) and the as-of date (`?ngay=dd/mm/yyyy` or ISO)


@dataclass(frozen=True)
class Period:
    year_from: int
    year_to: int

    @property
    def is_year(self) -> bool:
        return self.year_from == self.year_to

    @property
    def key(self) -> str:
        return str(self.year_from) if self.is_year else f"{self.year_from}-{self.year_to}"

    @property
    def label(self) -> str:
        return f"năm {self.year_from}" if self.is_year else f"nhiệm kỳ {self.year_from}–{self.year_to}"

    @property
    def start(self) -> date:
        return date(self.year_from, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year_to, 12, 31)


def parse_period(raw: str | None, today: date) -> tuple[Period, str]:
    """The period asked for and a message if it was refused (then the current year)."""
    text = (raw or "").strip().replace("–", "-")
    current = Period(today.year, today.year)
    if not text:
        return current, ""
    try:
        year_from, year_to = selectors.parse_period(text)
    except (ValueError, TypeError) as exc:
        detail = str(exc) or f"Kỳ «{text}» không hợp lệ."
        return current, f"{detail} Đang hiển thị năm {today.year}."
    return Period(year_from, year_to or year_from), ""


def parse_as_of(raw: str | None, today: date) -> tuple[date | None, str]:
    """The as-of date asked for (None: today) and a message if it was refused."""
    text = (raw or "").strip()
    if not text:
        return None, ""
    try:
        on = parse_date(text)
    except ValueError as exc:
        return None, f"{exc} Đang hiển thị số liệu hôm nay."
    if on < PARTY_FOUNDED:
        return None, "Ngày không thể trước ngày thành lập Đảng (03/02/1930). Đang hiển thị số liệu hôm nay."
    if on > today:
        return (
            None,
            f"Ngày {fmt_date(on)} chưa đến: chỉ xem được số liệu đến hôm nay. Đang hiển thị số liệu hôm nay.",
        )
    return (None if on == today else on), ""


def period_choices(period: Period, today: date) -> list[tuple[str, str]]:
    """The periods offered by the chooser: recent years, the current and previous terms, and the
    one being shown."""
    years = [Period(y, y) for y in range(today.year + 1, today.year - 6, -1)]
    # Local terms run 2020–2025, 2025–2030 …: the term containing this year and the one before.
    start = 2020 + 5 * ((today.year - 2020) // 5)
    terms = [Period(start, start + 5), Period(start - 5, start)]
    options = [*years, *terms]
    if period not in options:
        options.insert(0, period)
    return [(p.key, p.label[0].upper() + p.label[1:]) for p in options]


def query(period: Period, as_of: date | None, today: date) -> str:
    """The query string that keeps the period and the date when following a link."""
    params: dict[str, str] = {}
    if period != Period(today.year, today.year):
        params["ky"] = period.key
    if as_of is not None:
        params["ngay"] = as_of.isoformat()
    return f"?{urlencode(params)}" if params else ""


def today() -> date:
    return timezone.localdate()
