"""The JSON API at /api/v1/: one NinjaAPI, one router per app, domain errors mapped once."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, django_auth

from dangvu.accounts.services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the token is looked up by its hash."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class Utf8JSONRenderer(JSONRenderer):
    """Vietnamese stays readable in responses (and in curl): UTF-8, not \\uXXXX escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Đảng vụ API",
    version="1",
    description="API của hệ thống Đảng vụ. Xác thực bằng phiên đăng nhập hoặc "
    "`Authorization: Bearer <mã>` (tạo mã bằng `dangvu create-token TÊN_ĐĂNG_NHẬP`). "
    "Mọi dữ liệu đều giới hạn theo phạm vi của người dùng; đối tượng ngoài phạm vi trả về 404.",
    auth=[ApiTokenAuth(), django_auth],
    urls_namespace="api",
    renderer=Utf8JSONRenderer(),
    # Swagger UI is served from ninja's own static files (ninja is in INSTALLED_APPS), never a CDN.
    # validatorUrl=None stops the page from sending the schema URL to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)


def _error(
    request: HttpRequest, status: int, message: str, field: str | None = None, errors=None
) -> HttpResponse:
    body = {"detail": message, "field": field}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [{"field": f, "message": m} for f, msgs in exc.message_dict.items() for m in msgs]
        first = errors[0]
        return _error(request, 400, first["message"], first["field"], errors)
    return _error(request, 400, "; ".join(exc.messages))


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", [])]
        if loc[:1] in (["form"], ["file"]):  # multipart: ("file", "file"), ("form", "organization")
            loc = loc[1:]
        loc = [p for p in loc if p not in ("body", "query", "path", "payload")]
        field = ".".join(loc) or None
        errors.append({"field": field, "message": _schema_message(err)})
    first = errors[0] if errors else {"field": None, "message": "Dữ liệu không hợp lệ."}
    return _error(request, 422, first["message"], first["field"], errors)


def _schema_message(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "Thiếu trường bắt buộc."
    if kind.startswith("date"):
        return "Ngày không hợp lệ (dạng YYYY-MM-DD)."
    if kind.startswith("int"):
        return "Phải là số nguyên."
    if kind in ("enum", "literal_error"):
        return "Giá trị không nằm trong danh mục cho phép."
    if kind.startswith("string"):
        return "Chuỗi không hợp lệ hoặc quá dài."
    if kind == "value_error" and err.get("ctx", {}).get("error"):
        return str(err["ctx"]["error"])  # our own validators raise Vietnamese messages
    return "Giá trị không hợp lệ."


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "Không có quyền thực hiện thao tác này.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Không tìm thấy.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own HttpErrors carry English text; ours (raise HttpError(409, "…")) keep theirs."""
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        message = "Dữ liệu gửi lên không đọc được (cần JSON hợp lệ)."
    elif isinstance(exc, Throttled):
        message = "Quá nhiều yêu cầu, hãy thử lại sau."
    return _error(request, exc.status_code, message)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Chưa đăng nhập hoặc mã truy cập không hợp lệ.")


api.add_router("/organizations/", "dangvu.organizations.api.router")
api.add_router("/members/", "dangvu.members.api.router")
api.add_router("/evaluation-rounds/", "dangvu.evaluations.api.router")
api.add_router("/congress-rounds/", "dangvu.congresses.api.router")
api.add_router("/admission-targets/", "dangvu.admissions.api.router")
