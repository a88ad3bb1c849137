"""Tags for the site frame (templates/base.html): ``{% load site_frame %}``.

``{% can_manage_roles as show_roles %}`` decides whether the "Phân quyền" menu item is shown,
``{% app_version %}`` prints the product version for the footer, and
``{% capture as name %}…{% endcapture %}`` renders a block into a variable so the frame can leave
out an empty breadcrumb bar or page header.
"""

from __future__ import annotations

import importlib.metadata
import tomllib
from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.http import QueryDict
from django.template.base import Parser, Token
from django.utils.safestring import mark_safe

from dangvu.organizations.permissions import can_manage_any

register = template.Library()


@register.simple_tag(takes_context=True)
def can_manage_roles(context: template.Context) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and can_manage_any(user))


@lru_cache(maxsize=1)
def _version() -> str:
    try:
        return importlib.metadata.version("dangvu")
    except importlib.metadata.PackageNotFoundError:
        # Running from a checkout that was not pip-installed: read pyproject.toml.
        try:
            with open(settings.BASE_DIR / "pyproject.toml", "rb") as fh:
                return str(tomllib.load(fh)["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return ""


@register.simple_tag
def app_version() -> str:
    return _version()


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: template.Context) -> str:
        # Blocks inside are rendered in place; whitespace-only output counts as empty.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser: Parser, token: Token) -> Any:
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def pager_query(context: template.Context, **params: Any) -> str:
    """The current query string with `params` replaced (filters survive paging)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in params.items():
        query[key] = value
    return query.urlencode()


@register.filter
def pager_range(paginator: Paginator, number: int) -> list[int | None]:
    """Page numbers around `number`, with None where pages are elided."""
    return [
        None if n == paginator.ELLIPSIS else n
        for n in paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
    ]
