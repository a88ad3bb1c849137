"""Background work of the member registry (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_members_task(import_id: int) -> None:
    """Process a large member file uploaded through `start_import` (progress on `MemberImport`)."""
    from .importing.runs import run_import

    run_import(import_id)
