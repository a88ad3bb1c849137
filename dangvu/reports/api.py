"""GET /api/v1/organizations/{id}/statistics: figures of an organization on a date, or over a period.

The endpoint lives on the organizations router (the path the issue names) and is registered there
with `add_statistics_endpoint(router)`; its code, its schemas and the checks of its dates live here.
`statistics_payload` is also what `dangvu statistics --format json` prints.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router

from dangvu.core.formats import fmt_date
from dangvu.organizations import selectors as org_selectors
from dangvu.organizations.models import Organization
from dangvu.organizations.schemas import ErrorOut

from . import statistics
from .schemas import StatisticsOut, StatisticsQuery

FIRST_DATE = date(1930, 2, 3)  # the founding of the Party: no figure exists before it


def check_dates(
    *, as_of: date | None, start: date | None, end: date | None, today: date | None = None
) -> tuple[date, date | None]:
    """(the date of the figures, the start of the period or None), or a ValidationError naming the
    field. A period without `end` ends today; `as_of` and a period are exclusive."""
    today = today or timezone.localdate()
    if as_of is not None and (start is not None or end is not None):
        raise ValidationError({"as_of": "Chọn một ngày (as_of) hoặc một kỳ (from, to), không chọn cả hai."})
    if start is None and end is not None:
        raise ValidationError({"from": "Kỳ báo cáo cần ngày đầu kỳ (from)."})
    for field, value in (("as_of", as_of), ("from", start), ("to", end)):
        if value is not None and value > today:
            until = fmt_date(today)
            raise ValidationError(
                {field: f"Ngày {fmt_date(value)} ở tương lai; số liệu chỉ có đến hôm nay ({until})."}
            )
        if value is not None and value < FIRST_DATE:
            raise ValidationError({field: f"Ngày {fmt_date(value)} trước ngày thành lập Đảng (03/02/1930)."})
    if start is not None:
        end = end or today
        if start > end:
            raise ValidationError(
                {"from": f"Ngày đầu kỳ {fmt_date(start)} sau ngày cuối kỳ {fmt_date(end)}."}
            )
        return end, start
    return as_of or today, None


def _links(org: Organization, on: date, start: date | None) -> dict[str, str]:
    query = urlencode(
        {"from": start.isoformat(), "to": on.isoformat()} if start else {"as_of": on.isoformat()}
    )
    return {
        name: f"{reverse(url, args=[org.pk])}?{query}"
        for name, url in (
            ("dashboard", "reports:dashboard"),
            ("xlsx", "reports:export_xlsx"),
            ("docx", "reports:export_docx"),
        )
    }


def _brief(info: dict[str, Any]) -> dict[str, Any]:
    return {k: info[k] for k in ("id", "code", "name", "kind", "kind_label")}


def statistics_payload(org: Organization, *, on: date, start: date | None = None) -> dict[str, Any]:
    """The API's answer as a dict (validated by `StatisticsOut`): the snapshot on `on`, or the
    period [`start`, `on`]. Dates must have passed `check_dates`."""
    brief = _brief(
        {
            "id": org.pk,
            "code": org.code,
            "name": org.name,
            "kind": org.kind,
            "kind_label": org.get_kind_display(),
        }
    )
    today = timezone.localdate()
    payload: dict[str, Any] = {
        "organization": brief,
        "as_of": on,
        "from_history": on < today,
        "figures": None,
        "children": None,
        "period": None,
        "links": _links(org, on, start),
    }
    if start is not None:
        payload["period"] = statistics.period(org, start, on)
        return payload
    snap = statistics.snapshot(org, on)
    payload["figures"] = snap.figures
    payload["children"] = [
        {
            **_brief(info),
            "members": figs["members"],
            "organizations": figs["organizations"],
            "admissions_per_year": figs["admissions_per_year"],
        }
        for info, figs in snap.children
    ]
    return payload


def payload_json(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload exactly as the API sends it (field aliases such as `from` included)."""
    return StatisticsOut.model_validate(payload).model_dump(mode="json", by_alias=True)


def organization_statistics(request: HttpRequest, org_id: int, params: Query[StatisticsQuery]):
    org = org_selectors.organization_get(user=request.auth, pk=org_id)
    on, start = check_dates(as_of=params.as_of, start=params.from_, end=params.to)
    return statistics_payload(org, on=on, start=start)


def add_statistics_endpoint(router: Router) -> None:
    """Register GET /{org_id}/statistics on the organizations router."""
    router.get(
        "/{int:org_id}/statistics",
        response={200: StatisticsOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
        by_alias=True,
        summary="Số liệu thống kê của tổ chức",
        description="`?as_of=YYYY-MM-DD` (mặc định hôm nay): số liệu tại ngày đó của tổ chức và từng "
        "tổ chức trực thuộc, theo cây tổ chức như ngày đó. `?from=…&to=…`: đầu kỳ, tăng, giảm theo "
        "nguyên nhân, cuối kỳ và kết nạp mới trong kỳ. Ngày tương lai, `from` sau `to` hoặc ngày sai "
        "định dạng trả lỗi nêu tên trường. `links` là đường dẫn tải Excel, Word và trang tổng quan.",
        operation_id="organization_statistics",
    )(organization_statistics)
