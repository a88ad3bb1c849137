"""/api/v1/members/: the member registry over JSON.

Reads go through `selectors` (scoped by `visible_to`: out of scope answers 404 like a missing
member; a plain `member` role sees only their own record), writes through `services` (rules with
the regulation named, rights re-checked: a member you may see but not change answers 403).
Citizen ID, ethnicity, religion, discipline events and their past values are masked unless
`reveal=true` is asked by someone `can_view_sensitive` allows; every reveal is written to the
access log. Nothing is ever deleted: there is no DELETE.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from dangvu.accounts.models import AccessLog
from dangvu.accounts.services import access_log_write
from dangvu.organizations import selectors as org_selectors

from . import rules, selectors, services
from .forms import transfer_destinations
from .importing import members_import
from .models import Member, MemberEvent, Transfer
from .permissions import can_view_sensitive
from .schemas import (
    EXIT_KINDS,
    ErrorOut,
    EventResultOut,
    HistoryEntryOut,
    ImportReportOut,
    MemberDetailOut,
    MemberEventIn,
    MemberEventOut,
    MemberFilter,
    MemberIn,
    MemberPage,
    MemberPatch,
    PageQuery,
    RevealQuery,
    TransferCancelIn,
    TransferDecisionIn,
    TransferFilter,
    TransferOut,
)

router = Router(tags=["members"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
SENSITIVE_FIELDS = {"citizen_id", "ethnicity", "religion"}
HISTORY_SKIP = {"id", "created_at", "updated_at", "search_key", "name_sort"}
NO_RIGHT_TO_REVEAL = "Không có quyền xem thông tin nhạy cảm của đảng viên này."


def _reveal(request: HttpRequest, members: list[Member], asked: bool, *, what: str) -> bool:
    """Mark the members the caller may see unmasked, log each reveal; 403 if none may be revealed."""
    if not asked or not members:
        return False
    allowed = [m for m in members if can_view_sensitive(request.auth, m)]
    if not allowed:
        raise PermissionDenied(NO_RIGHT_TO_REVEAL)
    for m in allowed:
        m.revealed = True
        access_log_write(
            user=request.auth,
            action=AccessLog.Action.REVEAL,
            object_type="member",
            object_id=str(m.pk),
            detail=f"API: {what} của {m.full_name}",
            request=request,
        )
    return True


def _org(user: Any, pk: int | None) -> Any:
    return None if pk is None else org_selectors.organization_get(user=user, pk=pk)


def _any_cell(pk: int | None) -> Any:
    # Receiving and residence cells are usually outside the sender's scope (as on the pages).
    return None if pk is None else get_object_or_404(transfer_destinations(), pk=pk)


def _record_data(payload: dict[str, Any]) -> dict[str, Any]:
    if "residence_liaison_org_id" in payload:
        payload["residence_liaison_org"] = _any_cell(payload.pop("residence_liaison_org_id"))
    for key in ("citizen_id", "card_number"):
        if key in payload:
            payload[key] = (payload[key] or "").strip() or None
    return payload


@contextmanager
def _payload_names(renames: dict[str, str]) -> Iterator[None]:
    """Report a service's field errors under the names the payload uses (issued_on → effective_on)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({renames.get(f, f): errs for f, errs in exc.error_dict.items()}) from exc


PAYLOAD_NAMES = {
    "issued_on": "effective_on",
    "to_org": "to_org_id",
    "organization": "organization_id",
    "residence_liaison_org": "residence_liaison_org_id",
}


# --- Reading -----------------------------------------------------------------------------------


@router.get(
    "/",
    response={200: MemberPage, **READ_ERRORS},
    summary="Danh sách đảng viên",
    description="Đảng viên trong phạm vi của bạn, xếp theo tên (thứ tự tiếng Việt). Mặc định chỉ đảng "
    "viên dự bị và chính thức. Số CCCD, dân tộc, tôn giáo bị che trừ khi `reveal=true`.",
)
def list_members(
    request: HttpRequest, filters: Query[MemberFilter], page: Query[PageQuery], reveal: Query[RevealQuery]
):
    kwargs = filters.model_dump(exclude_none=True)
    if "organization" in kwargs:  # out of scope answers 404, not an empty list
        kwargs["organization"] = _org(request.auth, kwargs["organization"])
    qs = selectors.member_list(user=request.auth, **kwargs)
    items = list(qs[page.offset : page.offset + page.limit])
    _reveal(request, items, reveal.reveal, what="xem danh sách (CCCD, dân tộc, tôn giáo)")
    return {"items": items, "count": qs.count()}


@router.get("/{int:member_id}", response={200: MemberDetailOut, **READ_ERRORS}, summary="Hồ sơ đảng viên")
def get_member(request: HttpRequest, member_id: int, reveal: Query[RevealQuery]):
    member = selectors.member_get(user=request.auth, pk=member_id)
    _reveal(request, [member], reveal.reveal, what="xem hồ sơ (CCCD, dân tộc, tôn giáo)")
    return member


@router.get(
    "/{int:member_id}/events",
    response={200: list[MemberEventOut], **READ_ERRORS},
    summary="Quá trình sinh hoạt đảng",
    description="Các sự kiện có ngày hiệu lực, mới nhất trước. Kỷ luật chỉ hiện khi `reveal=true`.",
)
@paginate
def list_member_events(request: HttpRequest, member_id: int, reveal: Query[RevealQuery]):
    member = selectors.member_get(user=request.auth, pk=member_id)
    shown = _reveal(request, [member], reveal.reveal, what="xem quá trình (gồm kỷ luật)")
    events = selectors.member_events(member=member)
    return events if shown else events.exclude(kind=MemberEvent.Kind.DISCIPLINED)


@router.get(
    "/{int:member_id}/history",
    response={200: list[HistoryEntryOut], **READ_ERRORS},
    summary="Lịch sử sửa hồ sơ",
    description="Mỗi lần lưu hồ sơ: ai, khi nào, vì sao, trường nào đổi (cũ → mới), mới nhất trước. "
    "Giá trị của trường nhạy cảm bị che trừ khi `reveal=true`.",
)
@paginate
def member_history(request: HttpRequest, member_id: int, reveal: Query[RevealQuery]):
    member = selectors.member_get(user=request.auth, pk=member_id)
    shown = _reveal(request, [member], reveal.reveal, what="xem lịch sử sửa hồ sơ")
    return _history_entries(list(selectors.member_history(member=member)), revealed=shown)


def _history_entries(records: list[Any], *, revealed: bool) -> list[dict[str, Any]]:
    entries = []
    for i, rec in enumerate(records):  # newest first
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if prev is not None:
            for c in rec.diff_against(prev, excluded_fields=HISTORY_SKIP).changes:
                hidden = c.field in SENSITIVE_FIELDS and not revealed
                field = Member._meta.get_field(c.field)
                old, new = (None, None) if hidden else (c.old, c.new)
                changes.append({"field": c.field, "label": str(field.verbose_name), "old": old, "new": new})
            if not changes:
                continue
        entries.append(
            {
                "id": rec.history_id,
                "at": rec.history_date,
                "type": {"+": "created", "~": "changed", "-": "deleted"}[rec.history_type],
                "user_name": str(rec.history_user) if rec.history_user_id else None,
                "reason": rec.history_change_reason or "",
                "changes": changes,
            }
        )
    return entries


# --- Writing the record ------------------------------------------------------------------------


@router.post(
    "/",
    response={201: MemberDetailOut, **WRITE_ERRORS},
    summary="Kết nạp hoặc nhập hồ sơ đảng viên",
    description="`mode: admit` kết nạp đảng viên mới (dự bị): kiểm tra tuổi đời 18–60 tính theo tháng "
    "vào ngày quyết định, số CCCD 12 chữ số, số thẻ 8 chữ số. `mode: register` nhập hồ sơ đảng viên "
    "đã có; tình trạng (dự bị/chính thức) tính từ ngày lễ kết nạp + 12 tháng.",
)
def create_member(request: HttpRequest, payload: MemberIn):
    data = _record_data(payload.model_dump(exclude_none=True))
    mode, org_id = data.pop("mode"), data.pop("organization_id")
    organization = _org(request.auth, org_id)
    decision_ref, reason = data.pop("decision_ref"), data.pop("reason")
    with _payload_names(PAYLOAD_NAMES):
        member = _create(request.auth, mode, organization, data, decision_ref, reason)
    return Status(201, selectors.member_get(user=request.auth, pk=member.pk))


def _create(
    actor: Any, mode: str, organization: Any, data: dict[str, Any], decision_ref: str, reason: str
) -> Member:
    if mode == "admit":
        return services.member_admit(
            actor=actor, organization=organization, data=data, decision_ref=decision_ref, reason=reason
        )
    return services.member_register(actor=actor, organization=organization, data=data, reason=reason)


@router.patch(
    "/{int:member_id}",
    response={200: MemberDetailOut, **WRITE_ERRORS},
    summary="Sửa hồ sơ đảng viên",
    description="Chỉ các trường được gửi mới thay đổi; `reason` bắt buộc. Tình trạng và tổ chức không "
    "sửa ở đây mà qua các sự kiện (`POST /{id}/events`).",
)
def update_member(request: HttpRequest, member_id: int, payload: MemberPatch):
    member = selectors.member_get(user=request.auth, pk=member_id)
    changes = _record_data(payload.model_dump(exclude_unset=True))
    reason = changes.pop("reason")
    if not changes:
        raise ValidationError("Không có trường thông tin nào cần thay đổi.")
    with _payload_names(PAYLOAD_NAMES):
        services.member_update(actor=request.auth, member=member, changes=changes, reason=reason)
    return selectors.member_get(user=request.auth, pk=member_id)


# --- Lifecycle ---------------------------------------------------------------------------------


@router.post(
    "/{int:member_id}/events",
    response={201: EventResultOut, **WRITE_ERRORS},
    summary="Ghi một sự kiện sinh hoạt đảng",
    description="`action` là một trong: recognize_official, transfer_issue, exempt, end_exemption, "
    "remove, expel, leave, death, contact_lost, restore_contact, readmit, discipline, award_badge; "
    "mỗi loại có `effective_on`, `decision_ref`, `reason` và các trường riêng (xem lược đồ).",
)
def create_member_event(request: HttpRequest, member_id: int, payload: MemberEventIn):
    member = selectors.member_get(user=request.auth, pk=member_id)
    with _payload_names(PAYLOAD_NAMES):
        transfer = _apply_action(request.auth, member, payload)
    member = selectors.member_get(user=request.auth, pk=member_id)
    event = max(selectors.member_events(member=member), key=lambda e: e.pk, default=None)
    return Status(201, {"member": member, "event": event, "transfer": transfer})


def _apply_action(actor: Any, member: Member, p: Any) -> Transfer | None:
    """Call the service of one lifecycle action; return the transfer it issued, if any."""
    d = p.model_dump(exclude={"action"})
    match p.action:
        case "recognize_official":
            _check_official_date(member, d.pop("effective_on"))
            services.member_recognize_official(actor=actor, member=member, **d)
        case "transfer_issue":
            d["to_org"] = _any_cell(d.pop("to_org_id"))
            d["issued_on"] = d.pop("effective_on")
            return services.transfer_issue(actor=actor, member=member, **d)
        case "exempt":
            services.member_exempt(actor=actor, member=member, **d)
        case "end_exemption":
            services.member_end_exemption(actor=actor, member=member, **d)
        case "remove" | "expel" | "leave" | "death" | "contact_lost":
            services.member_exit(actor=actor, member=member, kind=EXIT_KINDS[p.action], **d)
        case "restore_contact":
            services.member_restore_contact(actor=actor, member=member, **d)
        case "readmit":
            d["organization"] = _org(actor, d.pop("organization_id"))
            services.member_readmit(actor=actor, member=member, **d)
        case "discipline":
            services.member_discipline(actor=actor, member=member, **d)
        case "award_badge":
            services.member_award_badge(actor=actor, member=member, **d)
    return None


def _check_official_date(member: Member, effective_on: Any) -> None:
    """The official date is computed (ceremony + 12 months); a different one sent is refused."""
    expected = rules.expected_official_on(member)
    if effective_on is not None and effective_on != expected:
        cite = rules.probation_citation(member.ceremony_date)
        message = f"Ngày chính thức là ngày lễ kết nạp + 12 tháng: {expected:%d/%m/%Y} ({cite})."
        raise ValidationError({"effective_on": message})


# --- Transfers ---------------------------------------------------------------------------------


@router.get(
    "/transfers/",
    response={200: list[TransferOut], **READ_ERRORS},
    summary="Chuyển sinh hoạt đi và đến của một tổ chức",
)
def list_transfers(request: HttpRequest, filters: Query[TransferFilter]):
    organization = _org(request.auth, filters.organization)
    return selectors.transfers_for(user=request.auth, organization=organization, state=filters.state)


@router.post(
    "/transfers/{int:transfer_id}/accept",
    response={200: TransferOut, **WRITE_ERRORS},
    summary="Tiếp nhận đảng viên chuyển đến",
    description="Bên nhận tiếp nhận: chuyển chính thức thì đảng viên được tính ở nơi đến từ ngày `on`; "
    "chuyển tạm thời thì bắt đầu sinh hoạt tạm thời.",
)
def accept_transfer(request: HttpRequest, transfer_id: int, payload: TransferDecisionIn):
    transfer = selectors.transfer_get(user=request.auth, pk=transfer_id)
    return services.transfer_accept(
        actor=request.auth, transfer=transfer, accepted_on=payload.on, reason=payload.reason
    )


@router.post(
    "/transfers/{int:transfer_id}/cancel",
    response={200: TransferOut, **WRITE_ERRORS},
    summary="Hủy giới thiệu chuyển sinh hoạt",
    description="Bên đi hủy một giới thiệu chưa được tiếp nhận; `reason` bắt buộc.",
)
def cancel_transfer(request: HttpRequest, transfer_id: int, payload: TransferCancelIn):
    transfer = selectors.transfer_get(user=request.auth, pk=transfer_id)
    return services.transfer_cancel(actor=request.auth, transfer=transfer, reason=payload.reason)


@router.post(
    "/transfers/{int:transfer_id}/end",
    response={200: TransferOut, **WRITE_ERRORS},
    summary="Kết thúc sinh hoạt tạm thời",
)
def end_temporary_transfer(request: HttpRequest, transfer_id: int, payload: TransferDecisionIn):
    transfer = selectors.transfer_get(user=request.auth, pk=transfer_id)
    return services.temporary_transfer_end(
        actor=request.auth, transfer=transfer, ended_on=payload.on, reason=payload.reason
    )


# --- Import ------------------------------------------------------------------------------------


@router.post(
    "/import",
    response={
        200: ImportReportOut,
        400: ImportReportOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="Nhập đảng viên từ tệp Excel",
    description="Gửi dạng multipart: `file` (.xlsx theo mẫu), `organization` (id), `dry_run` (mặc định "
    "true: chỉ kiểm tra). Trả về kết quả từng dòng; có dòng lỗi thì trả 400 và không ghi gì.",
)
def import_members(
    request: HttpRequest,
    file: File[UploadedFile],
    organization: Form[int],
    dry_run: Form[bool] = True,
):
    org = _org(request.auth, organization)
    report = members_import(actor=request.auth, organization=org, file=file, dry_run=dry_run)
    return Status(200 if report.ok else 400, report.as_dict())
