"""/api/v1/evaluation-rounds/: the yearly quality review over JSON.

Same rules and scoping as the pages. A round is seen from its organization's subtree and from above
it (a commune works in the province's round, but sees only its own part: the ratings and progress
of organizations in its scope). Anything out of scope answers 404 like a missing object; a right
the caller lacks (a cell secretary deciding) answers 403; a broken rule answers 400 with the
Vietnamese message keyed by field (`rating-<id>` for the items of a batch).
"""

# No `from __future__ import annotations` here: `paginate` builds the query model of a view from its
# annotations, and string annotations leave `Query[...]` unresolved.
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from dangvu.accounts.models import OrgRole, Role
from dangvu.organizations import selectors as org_selectors
from dangvu.organizations.models import Organization

from . import rules, selectors, services
from .models import EvaluationRound, MemberRating, OrganizationRating
from .schemas import (
    CloseIn,
    DecisionsIn,
    ErrorOut,
    MemberRatingOut,
    OrganizationDecisionIn,
    OrganizationProposalIn,
    OrganizationRatingOut,
    ProgressOut,
    ProposalsIn,
    RatingFilter,
    ReopenIn,
    RoundIn,
    RoundOpenOut,
    RoundOut,
    SelfAssessmentIn,
    VotesIn,
    collectives,
    progress_row,
)

router = Router(tags=["evaluations"])

READ_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
NOT_IN_ROUND = "Tổ chức này không thuộc phạm vi đợt đánh giá."


# --- Scoping helpers ---------------------------------------------------------------------------


def _round(request: HttpRequest, round_id: int) -> EvaluationRound:
    return selectors.round_get(user=request.auth, pk=round_id)


def _only_member(user: Any) -> bool:
    """A plain member (no other role) sees only their own rating, as in the member registry."""
    if user.is_superuser:
        return False
    return not OrgRole.objects.active().filter(user=user).exclude(role=Role.MEMBER).exists()


def _ratings(user: Any, rnd: EvaluationRound) -> QuerySet[MemberRating]:
    qs = MemberRating.objects.visible_to(user).filter(round=rnd)
    return qs.filter(member__user=user) if _only_member(user) else qs


def _organization(user: Any, rnd: EvaluationRound, pk: int | None) -> Organization:
    """The organization asked for (404 out of scope), or the topmost one the user sees in the round."""
    if pk is not None:
        org = org_selectors.organization_get(user=user, pk=pk)
    else:
        inside = Organization.objects.visible_to(user).filter(path__startswith=rnd.organization.path)
        org = inside.order_by("depth", "path").first()
        if org is None:
            raise Http404
    if not org.path.startswith(rnd.organization.path):
        raise ValidationError({"organization": NOT_IN_ROUND})
    return org


def _batch(user: Any, rnd: EvaluationRound, ids: list[int]) -> None:
    """Every rating of a batch must be in the round and in the caller's scope: else 404."""
    found = set(_ratings(user, rnd).filter(pk__in=ids).values_list("pk", flat=True))
    if set(ids) - found:
        raise Http404


def _rated(user: Any, rnd: EvaluationRound, ids: list[int]) -> list[MemberRating]:
    qs = MemberRating.objects.filter(round=rnd, pk__in=ids).select_related("member", "organization")
    return list(qs.order_by("organization__path", "member__name_sort", "pk"))


def _org_rating(user: Any, rnd: EvaluationRound, rating_id: int) -> OrganizationRating:
    qs = OrganizationRating.objects.visible_to(user).filter(round=rnd).select_related("organization")
    return get_object_or_404(qs, pk=rating_id)


# --- Rounds ------------------------------------------------------------------------------------


@router.post(
    "/",
    response={201: RoundOut, **WRITE_ERRORS},
    summary="Tạo đợt đánh giá, xếp loại",
    description="Đợt của một tổ chức cho mọi tổ chức, đảng viên trực thuộc. Căn cứ là quy định xếp loại "
    "có hiệu lực vào ngày cuối kỳ. `open: true` mở ngay (lập danh sách từ đảng viên có tại ngày chốt).",
)
def create_round(request: HttpRequest, payload: RoundIn):
    data = payload.model_dump(exclude={"organization_id", "open"})
    organization = org_selectors.organization_get(user=request.auth, pk=payload.organization_id)
    with transaction.atomic():
        rnd = services.round_create(actor=request.auth, organization=organization, **data)
        if payload.open:
            services.round_open(actor=request.auth, round=rnd)
    return Status(201, _round(request, rnd.pk))


@router.get("/", response={200: list[RoundOut], **READ_ERRORS}, summary="Các đợt đánh giá trong phạm vi")
@paginate
def list_rounds(request: HttpRequest):
    return selectors.round_list(user=request.auth)


@router.get("/{int:round_id}", response={200: RoundOut, **READ_ERRORS}, summary="Một đợt đánh giá")
def get_round(request: HttpRequest, round_id: int):
    return _round(request, round_id)


@router.post(
    "/{int:round_id}/open",
    response={200: RoundOpenOut, **WRITE_ERRORS},
    summary="Mở đợt đánh giá",
    description="Lập danh sách: mọi đảng viên có tại ngày chốt (đảng viên miễn sinh hoạt không xếp loại, "
    "đảng viên dự bị theo tham số quy định), mọi tổ chức đảng và tập thể cấp ủy cần xếp loại.",
)
def open_round(request: HttpRequest, round_id: int):
    rnd = _round(request, round_id)
    result = services.round_open(actor=request.auth, round=rnd)
    return {"round": _round(request, round_id), **vars(result)}


@router.post(
    "/{int:round_id}/close",
    response={200: RoundOut, **WRITE_ERRORS},
    summary="Kết thúc đợt đánh giá",
    description="Còn vi phạm quy định hoặc trường hợp chưa có quyết định thì phải ghi `override_reason`.",
)
def close_round(request: HttpRequest, round_id: int, payload: CloseIn):
    rnd = _round(request, round_id)
    services.round_close(actor=request.auth, round=rnd, override_reason=payload.override_reason)
    return _round(request, round_id)


@router.post(
    "/{int:round_id}/reopen",
    response={200: RoundOut, **WRITE_ERRORS},
    summary="Mở lại đợt đã kết thúc",
    description="`reason` bắt buộc; lý do được lưu trong lịch sử của đợt.",
)
def reopen_round(request: HttpRequest, round_id: int, payload: ReopenIn):
    rnd = _round(request, round_id)
    services.round_reopen(actor=request.auth, round=rnd, reason=payload.reason)
    return _round(request, round_id)


@router.get(
    "/{int:round_id}/progress",
    response={200: ProgressOut, **READ_ERRORS},
    summary="Tiến độ và kết quả của đợt dưới một tổ chức",
    description="«x/y đã đánh giá» cho tổ chức và từng tổ chức trực thuộc, phân bố các mức xếp loại với "
    "tỷ lệ, xếp loại tập thể, và các vi phạm quy định (kèm thông báo). Mặc định: tổ chức cao nhất bạn thấy.",
)
def round_progress(request: HttpRequest, round_id: int, organization: int | None = None):
    rnd = _round(request, round_id)
    org = _organization(request.auth, rnd, organization)
    p = selectors.progress(round=rnd, organization=org)
    percent, source = rules.excellent_cap(on=rnd.period_end)
    cap = (
        f"HTXS không quá {percent}% số HTT trong mỗi tổ chức cơ sở đảng (theo {source})."
        if percent is not None
        else f"Không giới hạn tỷ lệ HTXS (theo {source})."
    )
    return {
        "round_id": rnd.pk,
        "organization": org,
        "total": progress_row(p.total),
        "own": progress_row(p.own),
        "children": [{"organization": c, "row": progress_row(row)} for c, row in p.children],
        "organizations": collectives(p.organizations),
        "violations": [vars(v) for v in p.violations],
        "excellent_cap": cap,
    }


# --- Member ratings ----------------------------------------------------------------------------


@router.get(
    "/{int:round_id}/ratings",
    response={200: list[MemberRatingOut], **READ_ERRORS},
    summary="Xếp loại đảng viên dưới một tổ chức",
    description="Theo thứ tự tổ chức, tên. Đảng viên (không có vai trò khác) chỉ thấy của chính mình.",
)
@paginate
def list_ratings(request: HttpRequest, round_id: int, filters: Query[RatingFilter]):
    rnd = _round(request, round_id)
    org = _organization(request.auth, rnd, filters.organization)
    qs = _ratings(request.auth, rnd).filter(organization__path__startswith=org.path)
    if filters.pending:
        qs = qs.filter(Q(ranked=False) | Q(decided_level=""))
    return qs.select_related("member", "organization").order_by(
        "organization__path", "member__name_sort", "pk"
    )


@router.get(
    "/{int:round_id}/self-assessment",
    response={200: MemberRatingOut, **READ_ERRORS},
    summary="Bản tự đánh giá và kết quả của chính mình",
)
def get_self_assessment(request: HttpRequest, round_id: int):
    return get_object_or_404(selectors.my_ratings(user=request.auth), round_id=round_id)


@router.post(
    "/{int:round_id}/self-assessment",
    response={200: MemberRatingOut, **WRITE_ERRORS},
    summary="Đảng viên tự đánh giá (Mẫu 2A/2B/2C)",
    description="Chỉ đảng viên có tài khoản gắn với hồ sơ của mình; sửa được đến khi có quyết định xếp loại.",
)
def submit_self_assessment(request: HttpRequest, round_id: int, payload: SelfAssessmentIn):
    rating = get_object_or_404(selectors.my_ratings(user=request.auth), round_id=round_id)
    services.self_assess(
        actor=request.auth,
        rating=rating,
        score=payload.self_score,
        level=payload.self_level,
        strengths=payload.strengths,
        shortcomings=payload.shortcomings,
        remedies=payload.remedies,
    )
    return get_object_or_404(selectors.my_ratings(user=request.auth), pk=rating.pk)


@router.post(
    "/{int:round_id}/proposals",
    response={200: list[MemberRatingOut], **WRITE_ERRORS},
    summary="Chi ủy đề xuất mức xếp loại (nhiều đảng viên)",
    description="Tất cả hoặc không: có một mục lỗi thì không ghi gì; lỗi theo từng mục `rating-<id>`.",
)
def propose_levels(request: HttpRequest, round_id: int, payload: ProposalsIn):
    rnd = _round(request, round_id)
    items = [p.model_dump() for p in payload.proposals]
    ids = [p["rating"] for p in items]
    _batch(request.auth, rnd, ids)
    services.propose_member_levels(actor=request.auth, round=rnd, proposals=items)
    return _rated(request.auth, rnd, ids)


@router.post(
    "/{int:round_id}/votes",
    response={200: list[MemberRatingOut], **WRITE_ERRORS},
    summary="Ghi kết quả biểu quyết của chi bộ (nhiều đảng viên)",
)
def record_votes(request: HttpRequest, round_id: int, payload: VotesIn):
    rnd = _round(request, round_id)
    items = [v.model_dump() for v in payload.votes]
    ids = [v["rating"] for v in items]
    _batch(request.auth, rnd, ids)
    services.record_votes(actor=request.auth, round=rnd, votes=items)
    return _rated(request.auth, rnd, ids)


@router.post(
    "/{int:round_id}/decisions",
    response={200: list[MemberRatingOut], **WRITE_ERRORS},
    summary="Cấp có thẩm quyền quyết định mức xếp loại (nhiều đảng viên)",
    description="Đảng viên ở chi bộ trực thuộc do đảng ủy cơ sở (hoặc đảng ủy xã) quyết định, không phải "
    "chi bộ; đảng viên của chi bộ cơ sở do chi bộ cơ sở quyết định.",
)
def decide_levels(request: HttpRequest, round_id: int, payload: DecisionsIn):
    rnd = _round(request, round_id)
    items = [d.model_dump() for d in payload.decisions]
    ids = [d["rating"] for d in items]
    _batch(request.auth, rnd, ids)
    services.decide_member_levels(
        actor=request.auth, round=rnd, decisions=items, decision_ref=payload.decision_ref
    )
    return _rated(request.auth, rnd, ids)


# --- Collective ratings ------------------------------------------------------------------------


@router.get(
    "/{int:round_id}/organization-ratings",
    response={200: list[OrganizationRatingOut], **READ_ERRORS},
    summary="Xếp loại tập thể dưới một tổ chức",
)
@paginate
def list_organization_ratings(request: HttpRequest, round_id: int, organization: int | None = None):
    rnd = _round(request, round_id)
    org = _organization(request.auth, rnd, organization)
    qs = OrganizationRating.objects.visible_to(request.auth).filter(
        round=rnd, organization__path__startswith=org.path
    )
    return qs.select_related("organization").order_by("organization__path", "subject", "pk")


@router.post(
    "/{int:round_id}/organization-ratings/{int:rating_id}/proposal",
    response={200: OrganizationRatingOut, **WRITE_ERRORS},
    summary="Tổ chức tự đề xuất mức xếp loại tập thể (Mẫu 01)",
)
def propose_organization_level(
    request: HttpRequest, round_id: int, rating_id: int, payload: OrganizationProposalIn
):
    rating = _org_rating(request.auth, _round(request, round_id), rating_id)
    return services.propose_organization_level(actor=request.auth, rating=rating, **payload.model_dump())


@router.post(
    "/{int:round_id}/organization-ratings/{int:rating_id}/decision",
    response={200: OrganizationRatingOut, **WRITE_ERRORS},
    summary="Cấp ủy cấp trên trực tiếp quyết định mức xếp loại tập thể",
)
def decide_organization_level(
    request: HttpRequest, round_id: int, rating_id: int, payload: OrganizationDecisionIn
):
    rating = _org_rating(request.auth, _round(request, round_id), rating_id)
    return services.decide_organization_level(
        actor=request.auth, rating=rating, level=payload.level, decision_ref=payload.decision_ref
    )
