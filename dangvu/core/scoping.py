"""The one scoping primitive: `QuerySet.visible_to(user)`.

A user sees the organizations where they hold an active role, and what lies under them, according
to the role's reach (DESIGN.md §2). A system administrator sees everything; anyone else with no
active role sees nothing. Out-of-scope objects are simply absent from the queryset, so views that
fetch through it answer 404 for them, the same as for a missing object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from dangvu.accounts.models import User

# Reach of each role: the whole subtree under the organization, or the organization alone.
SUBTREE = "subtree"
NODE = "node"
EVERYTHING = "everything"


def role_reach(role: str) -> str:
    from dangvu.accounts.models import Role

    return {
        Role.SYSTEM_ADMIN: EVERYTHING,
        Role.ORG_STAFF: SUBTREE,
        Role.LEADER: SUBTREE,
        Role.CELL_SECRETARY: SUBTREE,
        Role.MEMBER: NODE,
    }[Role(role)]


def scope_paths(user: Any) -> tuple[tuple[str, bool], ...] | None:
    """(path, subtree?) for each organization the user's active roles reach; None means everything.

    Cached on the user object so one request pays for one query however many querysets it scopes.
    """
    if not getattr(user, "is_authenticated", False):
        return ()
    if user.is_superuser:
        return None
    cached = getattr(user, "_scope_paths", "unset")
    if cached != "unset":
        return cached
    from dangvu.accounts.models import OrgRole

    result: list[tuple[str, bool]] = []
    everything = False
    for role, path in OrgRole.objects.active().filter(user=user).values_list("role", "organization__path"):
        reach = role_reach(role)
        if reach == EVERYTHING:
            everything = True
            break
        result.append((path, reach == SUBTREE))
    user._scope_paths = None if everything else tuple(result)
    return user._scope_paths


def scope_q(user: User | Any, path_field: str) -> Q | None:
    """A Q restricting `path_field` to the user's scope; None means no restriction; Q(pk__in=[]) none."""
    paths = scope_paths(user)
    if paths is None:
        return None
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path, subtree in paths:
        # Treebeard paths are fixed-width steps, so a prefix match is exactly the subtree.
        q |= Q(**{f"{path_field}__startswith": path}) if subtree else Q(**{path_field: path})
    return q


class ScopedQuerySetMixin:
    """Gives a QuerySet `visible_to(user)`; set `scope_path_field` to the tree path to filter on."""

    scope_path_field: str

    def visible_to(self, user: Any) -> Self:
        """Only the rows in `user`'s scope (none for anonymous users and users with no role)."""
        q = scope_q(user, self.scope_path_field)
        qs: QuerySet = self  # the mixin is only ever combined with a QuerySet
        return qs if q is None else qs.filter(q)
