"""The agent's customer pages: `/portal/customers` (search) and
`/portal/customers/{account_number}` (contact, subscription, devices).

Hotline agents and admins only; experts see customers through paid sessions instead.

Other domains add their part of the customer page (e.g. unlock codes, a device's unlink
button) as `customer_sections` in their `domain.py` (`agent_portal.domains`), so the page
stays one page without this module knowing them. Their forms answer with a redirect to
`customer_path(...)` and leave what happened in the flash (`agent_portal.web.flash`);
sections find what they kept there in
`highlights`. A form refused without a change answers `render_customer_page(..., error=)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from agent_portal import domains
from agent_portal.auth.deps import require_staff
from agent_portal.config import PortalSettings
from agent_portal.customers import service
from agent_portal.customers.models import Customer, Language, Platform, Tier
from agent_portal.customers.tiers import subscription_status
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.i18n import _, translator
from agent_portal.web.templating import render
from isp_common import formatting
from isp_common.i18n import N_

router = APIRouter(
    prefix="/portal/customers",
    tags=["portal"],
    dependencies=[require_staff("agent", "admin")],
    include_in_schema=False,
)


TIER_LABELS = {
    Tier.NONE: N_("No subscription"),
    Tier.PREMIUM: N_("Premium"),
    Tier.PREMIUM_PLUS: N_("Premium Plus"),
}
PLATFORM_LABELS = {Platform.WINDOWS: "Windows", Platform.MACOS: "macOS", Platform.LINUX: "Linux"}
LANGUAGE_LABELS = {Language.DE: N_("German"), Language.EN: N_("English")}


class Formats:
    """Texts for values on the pages, in the page's language and the portal's time zone."""

    def __init__(self, time_zone: str, now: datetime) -> None:
        self.zone = time_zone
        self.now = now
        self.locale = translator.language.get()

    def moment(self, value: datetime | None) -> str:
        """Date and time to the minute: seconds are noise on the phone."""
        if value is None:
            return ""
        return formatting.moment(value, locale=self.locale, zone=self.zone)

    def until(self, value: datetime | None) -> str:
        """An end of validity: the date alone when it ends with that day (the usual case)."""
        if value is None:
            return ""
        if value.astimezone(ZoneInfo(self.zone)).time() == time(23, 59, 59):
            return formatting.day(value, locale=self.locale, zone=self.zone)
        return self.moment(value)

    def clock(self, value: datetime | None) -> str:
        """The time of day alone ("10:45"), for moments within the next hours."""
        if value is None:
            return ""
        return formatting.time_of_day(value, locale=self.locale, zone=self.zone)

    def ago(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return formatting.relative(value - self.now, locale=self.locale)

    def tier(self, tier: str) -> str:
        return _(TIER_LABELS.get(Tier(tier), tier))

    def platform(self, platform: str) -> str:
        return PLATFORM_LABELS.get(Platform(platform), platform)

    def language(self, language: str) -> str:
        return _(LANGUAGE_LABELS.get(Language(language), language))


@router.get("", response_class=HTMLResponse)
def search_page(
    request: Request, db_session: SessionDep, settings: SettingsDep, q: str = ""
) -> HTMLResponse:
    query = " ".join(q.split())
    customers = service.search(db_session=db_session, query=query) if query else []
    return render(
        request,
        "customers/search.html",
        query=query,
        customers=customers,
        limit_reached=len(customers) >= service.SEARCH_LIMIT,
        limit=service.SEARCH_LIMIT,
        fmt=Formats(settings.time_zone, utcnow()),
    )


@dataclass(frozen=True)
class CustomerSection:
    """Another domain's part of the customer page. `template` is drawn below the devices,
    `device_actions` in each device's row (with `device`); both see this as `section`."""

    template: str | None = None
    device_actions: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


# provider(db_session=, customer=, settings=, now=, fmt=, highlights=) -> CustomerSection;
# `highlights` is what forms kept in the flash for this page, by kind, newest first.
SectionProvider = Callable[..., CustomerSection]


def render_not_found(request: Request, account_number: str) -> HTMLResponse:
    return render(
        request, "customers/not_found.html", status_code=404, account_number=account_number.strip()
    )


def customer_path(account_number: str) -> str:
    """The customer page's address: where the page's forms redirect to."""
    return f"{router.prefix}/{account_number}"


def render_customer_page(
    request: Request,
    *,
    db_session: Session,
    settings: PortalSettings,
    customer: Customer,
    status_code: int = 200,
    error: str | None = None,
) -> HTMLResponse:
    """The customer page, with what the staff member's forms left for it in the flash."""
    now = utcnow()
    fmt = Formats(settings.time_zone, now)
    page = customer_path(customer.account_number)
    flash = getattr(request.state, "flash", None)
    highlights = flash.take(page).kept if flash else {}
    sections = [
        provider(
            db_session=db_session,
            customer=customer,
            settings=settings,
            now=now,
            fmt=fmt,
            highlights=highlights,
        )
        for provider in domains.customer_sections()
    ]
    response = render(
        request,
        "customers/customer.html",
        status_code=status_code,
        page_url=page,
        customer=customer,
        status=subscription_status(
            subscription=customer.subscription, device_limits=settings.device_limits, now=now
        ),
        fmt=fmt,
        sections=sections,
        error=error,
    )
    # The page may show a code to read out: keep it out of caches and the history.
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/{account_number}", response_class=HTMLResponse)
def customer_page(
    request: Request, account_number: str, db_session: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    customer = service.get(db_session=db_session, account_number=account_number)
    if customer is None:
        return render_not_found(request, account_number)
    return render_customer_page(
        request, db_session=db_session, settings=settings, customer=customer
    )
