"""`members_import`: read, validate and (all or nothing) write a member file."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from dangvu.accounts.models import AccessLog
from dangvu.accounts.services import access_log_write
from dangvu.core.rules import cached_rules
from dangvu.core.text import person_sort_string, search_key
from dangvu.organizations.models import Organization
from dangvu.organizations.permissions import can_manage_organization
from dangvu.organizations.seeding.load import bulk_insert
from dangvu.reports import tallies

from ..choices import Status
from ..models import Member, MemberEvent
from .columns import COLUMNS, header_key
from .files import MAX_ROWS, FileRefused, check_xlsx, open_binary
from .report import ImportReport
from .sheet import SheetSource, iter_values
from .validate import RowValidator, ValidRow

SHEET_NAME = "Đảng viên"
WRITE_BATCH = 5000
PROGRESS_EVERY = 1000
Progress = Callable[[int, int, str], None]


def members_import(
    *, actor: Any, organization: Organization, file: Any, dry_run: bool, progress: Progress | None = None
) -> ImportReport:
    """Validate every row of an .xlsx member file and, if all are valid and not `dry_run`, write them.

    All or nothing: one bad row and nothing is written. `progress(done, total, phase)` is called
    every thousand rows with phase "validate" or "write".
    """
    if not can_manage_organization(actor, organization):
        raise PermissionDenied(f"Không có quyền nhập đảng viên vào «{organization.name}».")
    stream, name = open_binary(file)
    report = ImportReport(file_name=name, dry_run=dry_run)
    try:
        with cached_rules():  # one query per rule key, not per row
            rows = _read_and_validate(stream, actor, organization, report, progress)
    except FileRefused as exc:
        report.refused = str(exc)
        return report
    finally:
        if isinstance(file, str) or hasattr(file, "__fspath__"):
            stream.close()
    if report.ok and not dry_run:
        _write(rows, actor=actor, organization=organization, report=report, progress=progress)
    return report


def _read_and_validate(stream, actor, organization, report, progress) -> list[ValidRow]:
    check_xlsx(stream)
    try:
        sheet = SheetSource(stream, SHEET_NAME)
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise FileRefused("Tệp bị hỏng, không đọc được nội dung bảng tính.") from exc
    try:
        declared = sheet.declared_rows() or 0
        if declared - 1 > MAX_ROWS:
            raise FileRefused(_too_many(declared - 1))
        total = max(declared - 1, 0)
        validator = RowValidator(actor=actor, organization=organization, report=report)
        rows_iter = iter_values(sheet)
        try:
            first = next(rows_iter, None)
        except Exception as exc:
            raise FileRefused("Tệp bị hỏng, không đọc được nội dung bảng tính.") from exc
        header = first[1] if first and first[0] == 1 else None
        validator.set_positions(_header_positions(header))
        count = 0
        try:
            for number, raw in rows_iter:
                if not any(v is not None and (not isinstance(v, str) or v.strip()) for v in raw):
                    continue
                count += 1
                if count > MAX_ROWS:
                    raise FileRefused(_too_many(count))
                validator.add_row(number, raw)
                if progress and count % PROGRESS_EVERY == 0:
                    progress(count, max(total, count), "validate")
        except FileRefused:
            raise
        except Exception as exc:  # a damaged sheet part surfaces while streaming
            raise FileRefused("Tệp bị hỏng, không đọc được nội dung bảng tính.") from exc
        report.total_rows = count
        if count == 0:
            raise FileRefused("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
        rows = validator.finish()
        if progress:
            progress(count, count, "validate")
        return rows
    finally:
        sheet.close()


def _too_many(n: int) -> str:
    from dangvu.core.formats import fmt_int

    return f"Tệp có quá nhiều dòng ({fmt_int(n)}), giới hạn là {fmt_int(MAX_ROWS)} dòng mỗi tệp."


def _header_positions(header: tuple[Any, ...] | None) -> dict[str, int]:
    keys = [header_key(h) for h in (header or ())]
    positions = {k: i for i, k in reversed(list(enumerate(keys))) if k}
    missing = [c.header for c in COLUMNS if c.key not in positions]
    if missing:
        known = {c.key for c in COLUMNS}
        unknown = [str(h) for h, k in zip(header or (), keys, strict=False) if k and k not in known]
        message = "Thiếu cột " + ", ".join(f"«{m}»" for m in missing) + " ở dòng tiêu đề (dòng 1)."
        if unknown:
            message += " Cột không có trong mẫu: " + ", ".join(f"«{u}»" for u in unknown) + "."
        message += " Hãy dùng tệp mẫu, không đổi tên hay xóa cột."
        raise FileRefused(message)
    return positions


@transaction.atomic
def _write(rows: list[ValidRow], *, actor, organization, report: ImportReport, progress) -> None:
    """Insert members, their history rows and events in batches, inside one transaction.

    The same rows `services.member_register` writes, without its per-row queries: the member with
    its derived keys, a "+" history row, ADMITTED at the decision date and, once the probation has
    ended, RECOGNIZED_OFFICIAL at ceremony + probation.
    """
    now = timezone.now()
    reason = f"Nhập từ tệp Excel {report.file_name}"
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    history = Member.history.model
    done = 0
    for start in range(0, len(rows), WRITE_BATCH):
        batch = rows[start : start + WRITE_BATCH]
        last_pk = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        member_rows = []
        for r in batch:
            v = r.values
            member_rows.append(
                {
                    **v,
                    "organization_id": r.organization_id,
                    "status": r.status,
                    "official_on": r.official_on,
                    "search_key": search_key(
                        " ".join(p for p in (v["full_name"], v.get("other_names")) if p)
                    ),
                    "name_sort": person_sort_string(v["full_name"]),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        bulk_insert(Member, member_rows)
        # One statement inserts in order; `created_at` tells this batch from concurrent writers.
        pks = list(
            Member.objects.filter(pk__gt=last_pk, created_at=now).order_by("pk").values_list("pk", flat=True)
        )
        pks = pks[-len(batch) :]
        if len(pks) != len(batch):  # pragma: no cover - would mean a concurrent writer broke the ordering
            raise RuntimeError("Không xác định được mã của các đảng viên vừa ghi.")
        history_rows, events = [], []
        for pk, r, m in zip(pks, batch, member_rows, strict=True):
            h = {k: val for k, val in m.items() if k not in ("search_key", "name_sort")}
            h.update(
                id=pk,
                history_date=now,
                history_type="+",
                history_change_reason=reason[:100],
                history_user_id=actor_id,
            )
            history_rows.append(h)
            v = r.values
            events.append(
                _event(
                    pk,
                    r,
                    MemberEvent.Kind.ADMITTED,
                    v["admission_decision_date"],
                    Status.PROBATIONARY,
                    reason,
                    actor_id,
                    now,
                    {"ceremony_date": v["ceremony_date"].isoformat(), "registered": True},
                    v["admission_decision_date"],
                )
            )
            if r.status == Status.OFFICIAL:
                events.append(
                    _event(
                        pk,
                        r,
                        MemberEvent.Kind.RECOGNIZED_OFFICIAL,
                        r.official_on,
                        Status.OFFICIAL,
                        reason,
                        actor_id,
                        now,
                        {"registered": True},
                        None,
                    )
                )
        bulk_insert(history, history_rows)
        bulk_insert(MemberEvent, events)
        done += len(batch)
        if progress:
            progress(done, len(rows), "write")
    # Today's counters of every organization that received members, carried up the tree.
    tallies.refresh_organizations({r.organization_id for r in rows})
    report.created = len(rows)
    report.official = sum(1 for r in rows if r.status == Status.OFFICIAL)
    report.probationary = report.created - report.official
    if actor_id:
        access_log_write(
            user=actor,
            action=AccessLog.Action.IMPORT,
            object_type="member",
            object_id=organization.code,
            detail=f"{reason}: {report.created} đảng viên",
        )


def _event(
    pk, r: ValidRow, kind, effective_on, status_after, reason, actor_id, now, data, decision_date
) -> dict:
    return {
        "member_id": pk,
        "kind": kind,
        "effective_on": effective_on,
        "organization_id": r.organization_id,
        "status_after": status_after,
        "decision_date": decision_date,
        "reason": reason[:500],
        "data": json.dumps(data),
        "actor_id": actor_id,
        "created_at": now,
        "updated_at": now,
    }
