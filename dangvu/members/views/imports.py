"""Import members from an xlsx file: dry run, import, row-by-row error report, progress bar."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import importing
from ..forms import ImportForm, add_service_errors
from .actions import admit_organizations
from .common import wants_fragment
from .lists import _xlsx


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(importing.build_template(), "mau-nhap-dang-vien.xlsx")


@login_required
def member_import(request: HttpRequest) -> HttpResponse:
    orgs = admit_organizations(request.user)
    if not orgs.exists():
        raise Http404
    initial = {"organization": request.GET["to_chuc"]} if request.GET.get("to_chuc", "").isdigit() else {}
    form = ImportForm(request.POST or None, request.FILES or None, organizations=orgs, initial=initial)
    job: Any = None
    if request.method == "POST" and form.is_valid():
        dry_run = "kiem_tra" in request.POST
        try:
            job = importing.start_import(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                file=form.cleaned_data["file"],
                dry_run=dry_run,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
    context: dict[str, Any] = {"form": form}
    if job is not None:
        context["progress"] = importing.import_progress(user=request.user, job_id=_job_id(job))
    return render(request, "members/import.html", context)


def _job_id(job: Any) -> Any:
    return getattr(job, "pk", None) or getattr(job, "id", None) or job


@login_required
@require_GET
def import_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """The progress panel, polled every second by the import page while the import runs."""
    try:
        progress = importing.import_progress(user=request.user, job_id=job_id)
    except (LookupError, ValueError, PermissionDenied) as exc:
        raise Http404 from exc
    if progress is None:
        raise Http404
    template = "members/import.html#progress" if wants_fragment(request) else "members/import.html"
    form = None if wants_fragment(request) else ImportForm(organizations=admit_organizations(request.user))
    return render(request, template, {"progress": progress, "form": form})
