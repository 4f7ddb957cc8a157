"""The expert's side of the ratings:

- `GET /portal/expert/ratings` (experts): their paid sessions, newest first, each with
  their rating of the customer (or the form to give it while rating is open) and the
  customer's rating of them once both are revealed;
- `POST /portal/expert/ratings/{session_id}` (experts, their own session; a form): rate
  the customer, answered with a redirect to the page; refused input shows the page with
  the reason and stores nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from agent_portal.auth.deps import CurrentStaff, FlashDep, csrf_protected, require_staff
from agent_portal.customers.models import Customer
from agent_portal.customers.pages import Formats
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.experts.models import ExpertCategory
from agent_portal.i18n import _, translator
from agent_portal.params import Id
from agent_portal.session_ratings import service
from agent_portal.session_ratings.errors import RatingError, StarsOutOfRange
from agent_portal.web.templating import render
from isp_common import formatting
from isp_common.i18n import N_
from isp_common.ratings_wire import STARS_MAX, STARS_MIN, TEXT_MAX

PAGE = "/portal/expert/ratings"
router = APIRouter(prefix=PAGE, tags=["portal"], include_in_schema=False)
EXPERT = require_staff("expert")


class RatingFormats(Formats):
    def money(self, session) -> str:
        return formatting.money(session.charged, session.currency, locale=self.locale)

    def stars(self, stars: int) -> str:
        return _("%(stars)s of %(max)s stars") % {
            "stars": formatting.number(stars, locale=self.locale),
            "max": formatting.number(STARS_MAX, locale=self.locale),
        }


def _name(customer: Customer | None) -> str:
    """The customer's name; an erased customer (or one without a name) is "Customer"."""
    return (customer.name if customer is not None else None) or _("Customer")


def _page(request, db_session, settings, staff, *, error=None, form=None, status_code=200):
    now = utcnow()
    rows = service.for_expert(
        db_session=db_session,
        staff_id=staff.id,
        now=now,
        rules=service.Rules.from_settings(settings),
    )
    customers = {
        customer.id: customer
        for customer in db_session.scalars(
            select(Customer).where(Customer.id.in_({row.session.customer_id for row in rows}))
        )
    }
    language = translator.language.get()
    categories = {
        category.id: category.name(language)
        for category in db_session.scalars(
            select(ExpertCategory).where(
                ExpertCategory.id.in_({row.session.category_id for row in rows} - {None})
            )
        )
    }
    return render(
        request,
        "session_ratings/ratings.html",
        status_code,
        page_url=PAGE,
        rows=rows,
        customer_name=lambda row: _name(customers.get(row.session.customer_id)),
        category_name=lambda row: categories.get(row.session.category_id, ""),
        fmt=RatingFormats(settings.time_zone, now),
        stars_range=range(STARS_MAX, STARS_MIN - 1, -1),
        text_max=TEXT_MAX,
        text_limit=formatting.number(TEXT_MAX, locale=language),
        error=error,
        form=form or {},
    )


@router.get("", response_class=HTMLResponse, dependencies=[EXPERT])
def expert_ratings(
    request: Request, db_session: SessionDep, settings: SettingsDep, staff: CurrentStaff
):
    return _page(request, db_session, settings, staff)


@router.post("/{session_id}", dependencies=[EXPERT, csrf_protected()])
def rate_customer(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    flash: FlashDep,
    session_id: Id,
    stars: str = Form(""),
    text: str = Form(""),
):
    try:
        try:
            count = int(stars)
        except ValueError:
            raise StarsOutOfRange(low=STARS_MIN, high=STARS_MAX) from None
        service.rate(
            db_session,
            session_id=session_id,
            side=service.EXPERT,
            person_id=staff.id,
            stars=count,
            text=text,
            now=utcnow(),
            rules=service.Rules.from_settings(settings),
        )
    except RatingError as refused:
        db_session.rollback()
        form = {"session_id": session_id, "stars": stars, "text": text}
        return _page(
            request,
            db_session,
            settings,
            staff,
            error=refused.translated(_),
            form=form,
            status_code=refused.status_code if refused.status_code != 422 else 400,
        )
    db_session.commit()
    flash.notice(PAGE, N_("Your rating of the customer has been stored."))
    return flash.redirect(PAGE, fragment=f"session-{session_id}")
