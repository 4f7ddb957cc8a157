"""The provisioning API the ISP's back end feeds customers through, under
`/api/v1/provisioning/customers/{account_number}`, authenticated by API key:

- `PUT` creates (201) or updates (200) the customer and subscription from a `CustomerIn`
  body and answers the stored `CustomerOut`. The same body twice changes nothing.
- `GET` answers the stored `CustomerOut`, 404 if unknown.
- `DELETE` erases the customer's personal data (see `service` for what stays), 204;
  404 if unknown.

Account numbers are not case-sensitive (`k-1001` is `K-1001`, answered upper-case). PUT
replaces: fields left out of the body take their defaults. A malformed account number is
a 422 like any other bad input. The portal pages of the domain live in `pages.py`.
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from agent_portal.auth.deps import require_api_key
from agent_portal.customers import service
from agent_portal.customers.errors import NOT_FOUND, CustomerNotFound
from agent_portal.customers.schemas import CustomerIn, CustomerOut
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.params import AccountNumber

PREFIX = "/api/v1/provisioning/customers"

provisioning = APIRouter(prefix=PREFIX, tags=["provisioning"], dependencies=[require_api_key()])


@provisioning.put(
    "/{account_number}",
    response_model=CustomerOut,
    responses={201: {"description": "Created", "model": CustomerOut}},
)
def put_customer(
    account_number: AccountNumber,
    customer_in: CustomerIn,
    response: Response,
    db_session: SessionDep,
    settings: SettingsDep,
) -> CustomerOut:
    saved = service.save(
        db_session=db_session,
        account_number=account_number,
        customer_in=customer_in,
        time_zone=settings.time_zone,
    )
    db_session.commit()
    if saved.outcome is service.Outcome.CREATED:
        response.status_code = status.HTTP_201_CREATED
    return CustomerOut.build(saved.customer, device_limits=settings.device_limits, now=utcnow())


@provisioning.get("/{account_number}", response_model=CustomerOut, responses=NOT_FOUND)
def get_customer(account_number: AccountNumber, db_session: SessionDep, settings: SettingsDep):
    customer = service.get(db_session=db_session, account_number=account_number)
    if customer is None:
        raise CustomerNotFound(account_number)
    return CustomerOut.build(customer, device_limits=settings.device_limits, now=utcnow())


@provisioning.delete(
    "/{account_number}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND
)
def delete_customer(account_number: AccountNumber, db_session: SessionDep) -> Response:
    if service.erase(db_session=db_session, account_number=account_number) is None:
        raise CustomerNotFound(account_number)
    db_session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


router = APIRouter()
router.include_router(provisioning)
