"""The portal's main menu: which pages it offers, and to whom.

The pages are listed here, in menu order; who sees a link is not: it is read from the
access rule of the page's own route (`agent_portal.auth.access.access_rule`), so the menu
can never offer a role a page that answers it 403, and a page whose roles change takes its
menu link along. A link to a path no GET route serves fails loudly, on the first page.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from agent_portal.auth.access import AccessRule, access_rule, api_routes
from agent_portal.i18n import _
from isp_common.i18n import N_


@dataclass(frozen=True)
class MenuItem:
    path: str
    label: str
    """English, marked with `N_`; translated when the menu is shown."""

    @property
    def text(self) -> str:
        return _(self.label)


MENU: tuple[MenuItem, ...] = (
    MenuItem("/portal/customers", N_("Customers")),
    MenuItem("/portal/inbox", N_("Inbox")),
    MenuItem("/portal/expert", N_("Expert desk")),
    MenuItem("/portal/expert/profile", N_("My profile")),
    MenuItem("/portal/expert/ratings", N_("Ratings")),
    MenuItem("/portal/payouts", N_("Payouts")),
    MenuItem("/portal/knowledge", N_("Knowledge base")),
    MenuItem("/portal/admin", N_("Administration")),
    MenuItem("/portal/admin/staff", N_("Staff")),
    MenuItem("/portal/admin/experts", N_("Expert profiles")),
    MenuItem("/portal/admin/expert-categories", N_("Expert categories")),
    MenuItem("/portal/admin/billing", N_("Payments")),
    MenuItem("/portal/chat-topics", N_("Chat topics")),
)


# The domains' rules are read once per set of routers, not once per app: reading them makes
# FastAPI work out every route's dependencies anew (half a second of processor), and every
# app of a process serves the same domains' routers (kept alive by the domains: their ids
# stay theirs). A route added to one app afterwards is looked up in that app's own routes.
_RULES_BY_ROUTERS: dict[tuple[int, ...], dict[str, AccessRule | None]] = {}


def _domain_rules(app: FastAPI) -> dict[str, AccessRule | None]:
    routers = getattr(app.state, "domain_routers", ())  # none: the app's own routes below
    key = tuple(id(router) for router in routers)
    if key not in _RULES_BY_ROUTERS:
        holder = FastAPI()
        for router in routers:
            holder.include_router(router)
        _RULES_BY_ROUTERS[key] = _get_rules(holder)
    return _RULES_BY_ROUTERS[key]


def _app_rules(app: FastAPI) -> dict[str, AccessRule | None]:
    rules = getattr(app.state, "page_rules", None)
    if rules is None:
        rules = app.state.page_rules = _get_rules(app)
    return rules


def _get_rules(app: FastAPI) -> dict[str, AccessRule | None]:
    """The access rule of every GET route, by path."""
    return {
        route.path: access_rule(route)
        for route in api_routes(app.routes)
        if "GET" in (route.methods or ())
    }


def allowed(app: FastAPI, item: MenuItem, role: str) -> bool:
    rules = _domain_rules(app)
    if item.path not in rules:
        rules = _app_rules(app)
    if item.path not in rules:
        raise LookupError(f"the menu links to {item.path}, but no page is served there")
    rule = rules[item.path]
    return rule is not None and rule.allows_role(role)


def menu_for(app: FastAPI, role: str) -> list[MenuItem]:
    """The menu as a staff member of `role` sees it: only pages that role may open."""
    return [item for item in MENU if allowed(app, item, role)]


def current_item(menu: list[MenuItem], path: str) -> MenuItem | None:
    """The menu item the page at `path` belongs to: the one with the longest matching
    path, so a page under Administration → Staff marks only "Staff" as current."""
    matching = [item for item in menu if path == item.path or path.startswith(item.path + "/")]
    return max(matching, key=lambda item: len(item.path), default=None)
