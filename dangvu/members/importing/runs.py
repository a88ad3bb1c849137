"""Stored import runs (`MemberImport`): start one, run it (inline or as a task), read its progress."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from dangvu.core.formats import fmt_percent
from dangvu.organizations.models import Organization
from dangvu.organizations.permissions import can_manage_organization

from ..models import MemberImport
from .files import FileRefused, check_xlsx
from .report import ImportReport
from .service import SHEET_NAME, members_import
from .sheet import SheetSource, iter_values

logger = logging.getLogger(__name__)
INLINE_MAX_ROWS = 2000


def start_import(
    *, actor: Any, organization: Organization, uploaded_file: Any = None, dry_run: bool, file: Any = None
) -> MemberImport:
    """Store the upload and process it: inline below 2,000 rows, else as a background task.

    `file` is accepted as another name for `uploaded_file`.
    """
    uploaded_file = uploaded_file if uploaded_file is not None else file
    if not can_manage_organization(actor, organization):
        raise PermissionDenied(f"Không có quyền nhập đảng viên vào «{organization.name}».")
    name = (
        get_valid_filename(getattr(uploaded_file, "name", "") or "dang-vien.xlsx")[:200] or "dang-vien.xlsx"
    )
    run = MemberImport(organization=organization, created_by=actor, dry_run=dry_run, original_name=name)
    uploaded_file.seek(0)
    run.file.save(name, uploaded_file, save=False)
    run.save()
    try:
        with run.file.open("rb") as stream:
            check_xlsx(stream)
            estimated = _estimated_rows(stream)
    except FileRefused as exc:
        _finish(run, ImportReport(file_name=name, dry_run=dry_run, refused=str(exc)))
        return run
    run.total_rows = estimated
    run.save(update_fields=["total_rows", "updated_at"])
    if estimated < INLINE_MAX_ROWS:
        run_import(run.pk)
        run.refresh_from_db()
    else:
        from ..tasks import import_members_task

        pk = run.pk
        transaction.on_commit(lambda: import_members_task.enqueue(pk))
    return run


def _estimated_rows(stream) -> int:
    """Data rows as the sheet declares them (its dimension); the real count comes while reading."""
    try:
        sheet = SheetSource(stream, SHEET_NAME)
    except Exception as exc:
        raise FileRefused("Tệp bị hỏng, không đọc được nội dung bảng tính.") from exc
    try:
        declared = sheet.declared_rows()
        if declared is None:  # no <dimension>: count the rows (cheap next to validating them)
            declared = sum(1 for _ in iter_values(sheet))
        return max(declared - 1, 0)
    finally:
        sheet.close()


def run_import(import_id: int) -> MemberImport:
    """Process a stored import to the end, keeping its progress and report on the row."""
    run = MemberImport.objects.select_related("organization", "created_by").get(pk=import_id)
    if run.state not in (MemberImport.State.PENDING,):
        return run  # already processed (a task delivered twice)
    MemberImport.objects.filter(pk=run.pk).update(
        state=MemberImport.State.VALIDATING, updated_at=timezone.now()
    )

    def progress(done: int, total: int, phase: str) -> None:
        fields: dict[str, Any] = {"processed_rows": done, "total_rows": total, "updated_at": timezone.now()}
        if phase == "validate" and done == total and not run.dry_run:
            fields["state"] = MemberImport.State.WRITING
        if phase == "validate":  # the write phase runs inside the import's transaction
            MemberImport.objects.filter(pk=run.pk).update(**fields)

    try:
        with run.file.open("rb") as stream:
            report = members_import(
                actor=run.created_by,
                organization=run.organization,
                file=_Named(stream, run.original_name),
                dry_run=run.dry_run,
                progress=progress,
            )
    except PermissionDenied as exc:
        report = ImportReport(file_name=run.original_name, dry_run=run.dry_run, refused=str(exc))
    except Exception:
        logger.exception("member import %s failed", run.pk)
        report = ImportReport(
            file_name=run.original_name,
            dry_run=run.dry_run,
            refused="Lỗi hệ thống khi xử lý tệp; chưa ghi dữ liệu. Hãy báo quản trị hệ thống.",
        )
        _finish(run, report, state=MemberImport.State.FAILED)
        return run
    _finish(run, report)
    return run


class _Named:
    """A stored file's stream that reports the name the user uploaded (shown in the report)."""

    def __init__(self, stream, name: str) -> None:
        self._stream, self.name = stream, name

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._stream, attr)


def _finish(run: MemberImport, report: ImportReport, state: str | None = None) -> None:
    run.report = report.as_dict()
    run.state = state or (MemberImport.State.DONE if report.ok else MemberImport.State.REJECTED)
    run.total_rows = report.total_rows or run.total_rows
    run.processed_rows = report.total_rows if report.ok else run.processed_rows
    run.finished_at = timezone.now()
    run.save()


def import_progress(
    import_obj: MemberImport | None = None, *, user: Any = None, job_id: Any = None
) -> dict[str, Any]:
    """What a progress page shows: state, counts, percentage and, when finished, the report.

    Called with the run, or with `user` and `job_id` (raises LookupError unless the
    run was started by `user` or its organization is in `user`'s scope).
    """
    if import_obj is not None:
        run = MemberImport.objects.get(pk=import_obj.pk)
    else:
        try:
            run = _visible_runs(user).get(pk=int(job_id))
        except MemberImport.DoesNotExist as exc:
            raise LookupError(f"Không có lượt nhập {job_id} trong phạm vi của người dùng.") from exc
    finished = run.state in (MemberImport.State.DONE, MemberImport.State.REJECTED, MemberImport.State.FAILED)
    report = ImportReport.from_dict(run.report) if run.report else None
    errors = [e.__dict__ for e in report.errors] if report else []
    if report and report.refused:
        errors = [{"row": 0, "column": "", "value": "", "message": report.refused}]
    percent = 100 if finished else (run.processed_rows * 100 // run.total_rows if run.total_rows else 0)
    return {
        "id": run.pk,
        "state": run.state,
        "state_label": run.get_state_display(),
        "finished": finished,
        "ok": bool(report and report.ok and run.state == MemberImport.State.DONE),
        "dry_run": run.dry_run,
        "file_name": run.original_name,
        "total_rows": run.total_rows,
        "processed_rows": run.processed_rows,
        "done": run.processed_rows,
        "total": run.total_rows,
        "percent": min(percent, 100),
        "percent_label": fmt_percent(run.processed_rows, run.total_rows) if run.total_rows else "—",
        "summary": report.summary() if report else "",
        "refused": report.refused if report else "",
        "errors": errors,
        "created": report.created if report else 0,
    }


def _visible_runs(user: Any):
    from django.db.models import Q

    from dangvu.core.scoping import scope_q

    if not getattr(user, "is_authenticated", False):
        return MemberImport.objects.none()
    q = scope_q(user, "organization__path")
    return MemberImport.objects.filter(Q(created_by=user) | (q if q is not None else Q()))
