"""Documents of a congress: add (numbered from 01), withdraw, download."""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import forms, services
from .common import crumbs, forbidden, visible_congress, visible_document


@login_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    congress = visible_congress(request, pk)
    if not services.can_record(request.user, congress):
        return forbidden(
            request, PermissionDenied("Chỉ cấp ủy, cán bộ tổ chức phụ trách mới thêm được văn bản đại hội.")
        )
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.document_add(actor=request.user, congress=congress, **form.cleaned_data)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã thêm văn bản số {doc.number:02d}: {doc.title}.")
            return redirect("congresses:congress_detail", pk=congress.pk)
    next_number = (congress.documents.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    context = {
        "congress": congress,
        "round": congress.round,
        "org": congress.organization,
        "ancestors": crumbs(request, congress.round, congress.organization),
        "form": form,
        "title": "Thêm văn bản đại hội",
        "submit": "Thêm văn bản",
        "icon": "bi-file-earmark-plus",
        "multipart": True,
        "intro": (
            f"Văn bản mới mang số {next_number:02d}. Mọi văn bản của đại hội dùng chung một dãy số "
            "bắt đầu từ 01 (Hướng dẫn 36-HD/VPTW)."
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "congresses/congress_form.html", context, status=status)


@login_required
def document_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    doc = visible_document(request, pk)
    congress = visible_congress(request, doc.congress_id)
    if not services.can_record(request.user, congress):
        return forbidden(
            request,
            PermissionDenied("Chỉ cấp ủy, cán bộ tổ chức phụ trách mới thu hồi được văn bản đại hội."),
        )
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_withdraw(actor=request.user, document=doc, reason=form.cleaned_data["reason"])
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Đã thu hồi văn bản số {doc.number:02d}. Số của văn bản không dùng lại."
            )
            return redirect("congresses:congress_detail", pk=congress.pk)
    context = {
        "congress": congress,
        "round": congress.round,
        "org": congress.organization,
        "ancestors": crumbs(request, congress.round, congress.organization),
        "form": form,
        "title": f"Thu hồi văn bản số {doc.number:02d}",
        "submit": "Thu hồi văn bản",
        "icon": "bi-x-circle",
        "danger": True,
        "intro": f"«{doc.title}». Văn bản thu hồi vẫn được lưu, có đánh dấu, và giữ nguyên số.",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "congresses/congress_form.html", context, status=status)


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file, only to someone who can see the congress (404 for anyone else or a missing file)."""
    doc = visible_document(request, pk)
    if not doc.file:
        raise Http404
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = doc.original_name or os.path.basename(doc.file.name)
    return FileResponse(handle, as_attachment=True, filename=name)
