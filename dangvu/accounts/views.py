"""Accounts pages: login and logout, role administration, the user's API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.organizations.permissions import can_manage_any, is_system_admin

from . import selectors, services
from .forms import (
    ApiTokenCreateForm,
    LoginForm,
    RoleFilterForm,
    RoleGrantForm,
    RoleRevokeForm,
    add_service_error,
)
from .models import ApiToken

ROLES_PER_PAGE = 50


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5); the menu's "Đăng xuất" is a form."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password (old password, then the new one twice; the validators apply)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("organizations:tree")

    def form_valid(self, form):
        messages.success(self.request, "Đã đổi mật khẩu.")
        return super().form_valid(form)


def _partial(request: HttpRequest, template: str, name: str) -> str:
    """The page template, or only its partial `name` for an htmx request (not a boosted one)."""
    return f"{template}#{name}" if request.htmx and not request.htmx.boosted else template


def _require_role_manager(request: HttpRequest) -> None:
    # Same answer as a missing page: the role pages do not exist for anyone else.
    if not can_manage_any(request.user):
        raise Http404


@login_required
@require_GET
def role_list(request: HttpRequest) -> HttpResponse:
    _require_role_manager(request)
    form = RoleFilterForm(request.GET)
    f = form.cleaned_data if form.is_valid() else {}
    roles = selectors.org_role_list(
        user=request.user,
        include_revoked=f.get("revoked", False),
        q=f.get("q", ""),
        organization_q=f.get("to_chuc", ""),
        role=f.get("role", ""),
    )
    page = Paginator(roles, ROLES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "filtered": any(f.values())}
    return render(request, _partial(request, "accounts/role_list.html", "role-table"), context)


@login_required
@require_http_methods(["GET", "POST"])
def role_grant(request: HttpRequest) -> HttpResponse:
    _require_role_manager(request)
    # Prefill from links ("?to_chuc=<pk>&user=<username>") and keep the choice across searches.
    initial = {
        "organization": request.GET.get("to_chuc") or request.GET.get("organization"),
        "user": request.GET.get("user"),
    }
    form = RoleGrantForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.org_role_grant(actor=request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"Đã giao vai trò «{grant.get_role_display()}» tại «{grant.organization}» cho {grant.user}.",
            )
            return redirect("accounts:role_list")
    selected = form.cleaned_data.get("organization") if form.is_bound else None
    if selected is None and not form.is_bound and initial["organization"]:
        selected = form.fields["organization"].queryset.filter(pk=_int(initial["organization"])).first()
    org_q = request.GET.get("to_chuc_q", "")
    choices, total = selectors.role_grant_organization_choices(user=request.user, q=org_q, selected=selected)
    context = {
        "form": form,
        "org_choices": choices,
        "org_total": total,
        "org_q": org_q,
        "selected": selected,
        "grants_admin": is_system_admin(request.user),
    }
    return render(request, _partial(request, "accounts/role_form.html", "org-choices"), context)


@login_required
@require_GET
def user_suggest(request: HttpRequest) -> HttpResponse:
    """<option>s for the grant form's user field (a datalist refreshed as the user types)."""
    _require_role_manager(request)
    users = selectors.user_choices(user=request.user, q=request.GET.get("user", ""))[:15]
    return render(request, "accounts/role_form.html#user-options", {"users": users})


@login_required
@require_http_methods(["GET", "POST"])
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_role_manager(request)
    grant = selectors.org_role_get(user=request.user, pk=pk)
    form = RoleRevokeForm(request.POST or None)
    own = grant.user_id == request.user.pk
    if request.method == "POST" and own:
        # Revoking one's own staff role would lock the user out mid-task: a superior does it.
        form.add_error(
            None, "Bạn không thể tự thu hồi vai trò của chính mình; hãy đề nghị cấp trên thực hiện."
        )
    elif request.method == "POST" and grant.revoked_on is None and form.is_valid():
        try:
            services.org_role_revoke(actor=request.user, grant=grant, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"Đã thu hồi vai trò «{grant.get_role_display()}» của {grant.user} "
                f"tại «{grant.organization}».",
            )
            return redirect("accounts:role_list")
    return render(request, "accounts/role_revoke.html", {"grant": grant, "form": form, "own": own})


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenCreateForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenCreateForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    response = render(request, "accounts/token_list.html", {"form": form, "tokens": tokens, "new_token": raw})
    if raw:
        # The raw token is in this page only: keep it out of every cache.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Only one's own tokens: anyone else's answers 404 like a missing one.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        services.api_token_revoke(token=token)
        messages.success(request, f"Đã thu hồi mã {token.prefix}… ({token.name or 'không tên'}).")
    return redirect("accounts:token_list")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
