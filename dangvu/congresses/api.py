"""/api/v1/congress-rounds/: congress rounds, their live progress and the recording of a congress.

Same rules and scoping as the pages. A round is seen from its organization's subtree and from above
it (a cell works in the province's round), but only the part of it in the caller's scope: progress
and congresses of organizations the caller sees. Anything out of scope answers 404 like a missing
object; a right the caller lacks answers 403; a broken rule answers 400 with the Vietnamese message
keyed by field (`held_on`, `summoned`, `seats`…); a malformed body answers 422.
"""

# No `from __future__ import annotations` here: `paginate` builds the query model of a view from its
# annotations, and string annotations leave `Query[...]` unresolved.
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate

from dangvu.core.formats import fmt_date
from dangvu.members.models import Member
from dangvu.organizations import selectors as org_selectors
from dangvu.organizations.models import Organization

from . import selectors, services
from .models import CommitteeMembership, Congress, CongressRound
from .schemas import (
    CongressFilter,
    CongressOut,
    CongressProgressOut,
    CongressProgressQuery,
    CongressResultIn,
    CongressRoundFilter,
    CongressRoundOut,
    ErrorOut,
    progress_dict,
)

router = Router(tags=["congresses"])

READ_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
NOT_IN_ROUND = "Tổ chức này không thuộc phạm vi đợt đại hội."
PARTY_FOUNDED = date(1930, 2, 3)


# --- Scoping helpers ---------------------------------------------------------------------------


def round_get(user: Any, round_id: int) -> CongressRound:
    """The round, or 404 when it is missing or neither in nor above the user's scope."""
    return selectors.round_get(user=user, pk=round_id)


def organization_in_round(user: Any, rnd: CongressRound, pk: int | None) -> Organization:
    """The organization asked for (404 out of scope; 400 outside the round), or where the user's
    view of the round starts: the round's organization, or the topmost one the user sees under it."""
    if pk is not None:
        org = org_selectors.organization_get(user=user, pk=pk)
        if not org.path.startswith(rnd.organization.path):
            raise ValidationError({"organization": NOT_IN_ROUND})
        return org
    inside = Organization.objects.visible_to(user).filter(path__startswith=rnd.organization.path)
    org = inside.order_by("depth", "path").first()
    if org is None:
        raise Http404
    return org


def checked_as_of(as_of: date | None, field: str = "as_of") -> date:
    """The date progress is counted to: today by default; a future date is refused."""
    today = timezone.localdate()
    if as_of is None:
        return today
    if as_of < PARTY_FOUNDED:
        raise ValidationError({field: f"Ngày {fmt_date(as_of)} trước ngày thành lập Đảng (03/02/1930)."})
    if as_of > today:
        until = fmt_date(today)
        message = f"Ngày {fmt_date(as_of)} ở tương lai; tiến độ chỉ tính được đến hôm nay ({until})."
        raise ValidationError({field: message})
    return as_of


def congresses_of(user: Any, rnd: CongressRound) -> QuerySet[Congress]:
    seats = CommitteeMembership.objects.select_related("member")
    return (
        Congress.objects.visible_to(user)
        .filter(round=rnd)
        .select_related("organization")
        .prefetch_related(Prefetch("elected", queryset=seats))
    )


def _seat_members(user: Any, ids: list[int]) -> dict[int, Member]:
    """The elected members by id; one the user cannot see answers 404 like a missing one."""
    found = {m.pk: m for m in Member.objects.visible_to(user).filter(pk__in=ids)}
    if set(ids) - set(found):
        raise Http404
    return found


def progress_json(rnd: CongressRound, org: Organization, *, as_of: date) -> dict[str, Any]:
    """The progress answer as JSON data (what `dangvu statistics --format json` prints)."""
    data = progress_dict(selectors.progress(rnd, org, as_of=as_of))
    return CongressProgressOut.model_validate(data).model_dump(mode="json")


# --- Rounds ------------------------------------------------------------------------------------


@router.get(
    "/", response={200: list[CongressRoundOut], **READ_ERRORS}, summary="Các đợt đại hội trong phạm vi"
)
@paginate
def list_rounds(request: HttpRequest, filters: Query[CongressRoundFilter]):
    if filters.organization is not None:
        org = org_selectors.organization_get(user=request.auth, pk=filters.organization)
        qs = selectors.rounds_for(request.auth, org)
    else:
        qs = selectors.round_list(user=request.auth)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs.order_by("-term_start_year", "-starts_on", "-id")


@router.get("/{int:round_id}", response={200: CongressRoundOut, **READ_ERRORS}, summary="Một đợt đại hội")
def get_round(request: HttpRequest, round_id: int):
    return round_get(request.auth, round_id)


@router.get(
    "/{int:round_id}/progress",
    response={200: CongressProgressOut, **READ_ERRORS},
    summary="Tiến độ đại hội dưới một tổ chức",
    description="«Đã tổ chức/tổng số (tỷ lệ)» của tổ chức và từng tổ chức trực thuộc, số đã có kế hoạch "
    "và số quá hạn, tính đến ngày `as_of` (mặc định hôm nay; ngày tương lai bị từ chối). Tổng số không kể "
    "tổ chức không tính vào đợt, kể cả tổ chức thành lập sau ngày tính.",
)
def round_progress(request: HttpRequest, round_id: int, params: Query[CongressProgressQuery]):
    rnd = round_get(request.auth, round_id)
    org = organization_in_round(request.auth, rnd, params.organization)
    as_of = checked_as_of(params.as_of)
    return progress_dict(selectors.progress(rnd, org, as_of=as_of))


# --- Congresses --------------------------------------------------------------------------------


@router.get(
    "/{int:round_id}/congresses",
    response={200: list[CongressOut], **READ_ERRORS},
    summary="Đại hội của các tổ chức trong đợt",
    description="Theo thứ tự cây tổ chức; `held=false` là danh sách chưa tổ chức đại hội.",
)
@paginate
def list_congresses(request: HttpRequest, round_id: int, filters: Query[CongressFilter]):
    rnd = round_get(request.auth, round_id)
    org = organization_in_round(request.auth, rnd, filters.organization)
    qs = congresses_of(request.auth, rnd).filter(organization__path__startswith=org.path)
    if filters.held is True:
        qs = qs.filter(held_on__isnull=False)
    elif filters.held is False:
        qs = qs.filter(held_on__isnull=True, excluded=False)
    return qs.order_by("organization__path", "pk")


@router.get(
    "/{int:round_id}/congresses/{int:congress_id}",
    response={200: CongressOut, **READ_ERRORS},
    summary="Đại hội của một tổ chức",
)
def get_congress(request: HttpRequest, round_id: int, congress_id: int):
    rnd = round_get(request.auth, round_id)
    return get_object_or_404(congresses_of(request.auth, rnd), pk=congress_id)


@router.post(
    "/{int:round_id}/congresses/{int:congress_id}/result",
    response={200: CongressOut, **WRITE_ERRORS},
    summary="Ghi kết quả đại hội (đã tổ chức, bầu cấp ủy)",
    description="Kiểm tra ngày đại hội, số có mặt (ít nhất 2/3 số triệu tập), phiếu bầu (quá 1/2 số phiếu "
    "hợp lệ), số lượng chi ủy, đúng một bí thư và tuổi tham gia cấp ủy (Chỉ thị 45-CT/TW; không đủ tuổi "
    "thì phải ghi `age_exception`). Lỗi trả 400 nêu tên trường và quy định. Ghi lại lần nữa là sửa kết quả.",
)
def record_result(request: HttpRequest, round_id: int, congress_id: int, payload: CongressResultIn):
    rnd = round_get(request.auth, round_id)
    congress = get_object_or_404(
        Congress.objects.visible_to(request.auth).filter(round=rnd).select_related("organization"),
        pk=congress_id,
    )
    if not services.can_record(request.auth, congress):  # before looking up members it may not see
        raise PermissionDenied(f"Không có quyền ghi nhận kết quả đại hội của «{congress.organization.name}».")
    members = _seat_members(request.auth, [s.member_id for s in payload.seats])
    seats = [
        services.ElectedSeat(member=members[s.member_id], **s.model_dump(exclude={"member_id"}))
        for s in payload.seats
    ]
    services.congress_record(
        actor=request.auth,
        congress=congress,
        seats=seats,
        **payload.model_dump(exclude={"seats"}),
    )
    return get_object_or_404(congresses_of(request.auth, rnd), pk=congress_id)
