"""Service functions of the customers domain: search, erasure, devices and what a
subscription means now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from agent_portal.config import PortalSettings
from agent_portal.customers import service
from agent_portal.customers.models import Customer, Device, Platform, Subscription
from agent_portal.customers.schemas import CustomerIn, SubscriptionIn, end_of_validity
from agent_portal.customers.tiers import subscription_status
from tests.agent_portal.customers.conftest import add_customer

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def test_search_finds_by_number_name_and_email_ignoring_case(db_session):
    add_customer(db_session, "K-100234", name="Erika Mustermann", email="erika@example.de")
    add_customer(db_session, "K-100299", name="Özlem Öztürk", email="oezlem@beispiel.de")
    add_customer(db_session, "K-2002", name="Hans Straße", email="hans.strasse@example.de")
    add_customer(db_session, "K-100", name="Karl Kurz", email="karl@example.de")

    def numbers(query: str) -> list[str]:
        found = service.search(db_session=db_session, query=query)
        return [customer.account_number for customer in found]

    assert numbers("k-100") == ["K-100", "K-100234", "K-100299"]  # exact number first
    assert numbers("K-1002") == ["K-100234", "K-100299"]
    assert numbers("öztürk") == ["K-100299"]  # non-ASCII case folding on both databases
    assert numbers("ÖZLEM") == ["K-100299"]
    assert numbers("BEISPIEL.de") == ["K-100299"]
    assert numbers("straße") == ["K-2002"]
    assert numbers("  erika   mustermann ") == ["K-100234"]
    assert len(service.search(db_session=db_session, query="k-100", limit=2)) == 2
    assert numbers("%") == []  # wildcards are searched for literally
    assert numbers("") == []

    service.erase(db_session=db_session, account_number="K-100234")
    assert numbers("erika") == []


def test_erasure_keeps_the_account_number_and_nothing_personal(db_session):
    customer = add_customer(db_session, "K-7001", subscription={"tier": "premium"})
    service.add_device(
        db_session=db_session, customer=customer, name="Erika's laptop", platform=Platform.LINUX
    )

    assert service.erase(db_session=db_session, account_number="k-7001") is not None
    db_session.expire_all()
    erased = service.get(db_session=db_session, account_number="K-7001", include_erased=True)
    assert erased.account_number == "K-7001" and erased.erased_at is not None
    assert (erased.name, erased.email, erased.name_search) == (None, None, None)
    assert db_session.scalar(select(func.count()).select_from(Device)) == 0
    assert db_session.scalar(select(func.count()).select_from(Subscription)) == 0
    assert service.get(db_session=db_session, account_number="K-7001") is None
    assert service.erase(db_session=db_session, account_number="K-7001") is None


def test_deleting_a_customer_row_takes_subscription_and_devices_along(db_session):
    customer = add_customer(db_session, "K-7002")
    service.add_device(
        db_session=db_session, customer=customer, name="PC", platform=Platform.WINDOWS
    )
    # The database itself cascades, whoever deletes the row.
    db_session.execute(Customer.__table__.delete().where(Customer.id == customer.id))
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(Device)) == 0
    assert db_session.scalar(select(func.count()).select_from(Subscription)) == 0


def test_devices_are_listed_in_the_order_they_were_linked(db_session):
    customer = add_customer(db_session, "K-7003")
    for days, name in [(3, "Laptop"), (9, "Desktop"), (1, "Tablet")]:
        service.add_device(
            db_session=db_session,
            customer=customer,
            name=name,
            platform=Platform.WINDOWS,
            linked_at=NOW - timedelta(days=days),
        )
    db_session.commit()
    db_session.expire_all()
    customer = service.get(db_session=db_session, account_number="K-7003")
    assert [device.name for device in customer.devices] == ["Desktop", "Laptop", "Tablet"]
    assert all(len(device.id) == 36 for device in customer.devices)
    with pytest.raises(ValueError, match="amiga"):
        service.add_device(db_session=db_session, customer=customer, name="x", platform="amiga")
    with pytest.raises(ValueError, match="1 to 100 characters"):
        service.add_device(db_session=db_session, customer=customer, name=" ", platform="linux")
    db_session.rollback()
    assert len(service.get(db_session=db_session, account_number="K-7003").devices) == 3


LIMITS = {"none": 1, "premium": 3, "premium_plus": 10}


@pytest.mark.parametrize(
    ("tier", "valid_until", "active", "limit"),
    [
        ("none", None, False, 1),
        ("premium", None, True, 3),
        ("premium", NOW, True, 3),  # the last valid moment still counts
        ("premium", NOW - timedelta(seconds=1), False, 1),  # run out: basic limit
        ("premium_plus", NOW + timedelta(days=30), True, 10),
    ],
)
def test_subscription_status_now(tier, valid_until, active, limit):
    status = subscription_status(
        subscription=Subscription(tier=tier, valid_until=valid_until),
        device_limits=LIMITS,
        now=NOW,
    )
    assert (status.active, status.device_limit) == (active, limit)


def test_device_limits_come_from_the_settings():
    settings = PortalSettings(_env_file=None, device_limits={"premium": 5})
    assert settings.device_limits == {"none": 1, "premium": 5, "premium_plus": 10}
    status = subscription_status(
        subscription=Subscription(tier="premium"), device_limits=settings.device_limits, now=NOW
    )
    assert status.device_limit == 5
    with pytest.raises(ValidationError, match="unknown tier gold"):
        PortalSettings(_env_file=None, device_limits={"gold": 2})


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("erika.example.de", "must have an @-sign"),
        ("erika@@example.de", "after the @-sign contains invalid characters: '@'"),
        ("erika@example", "It should have a period"),
        ("erika@exa mple.de", "after the @-sign contains invalid characters"),
        (".erika@example.de", "cannot start with a period"),
        ("erika@-example.de", "cannot have a hyphen immediately after the @-sign"),
        ("e" * 65 + "@example.de", "too long before the @-sign"),
        # IDNA 2003 dropped these invisible characters before its check, so an address
        # with them passed and was stored with them.
        ("erika@exa\u00admple.de", "unsafe characters: SOFT HYPHEN"),
        ("erika@stra\u200dsse.de", "unsafe characters: ZERO WIDTH JOINER"),
        # Symbols are no letters of a domain in IDNA 2008.
        ("erika@\u2615.de", r"Codepoint U\+2615 .* not allowed"),
    ],
)
def test_bad_email_addresses_are_refused_with_the_reason(email, reason):
    with pytest.raises(ValidationError, match=reason):
        CustomerIn(name="Erika", email=email)


def test_good_email_addresses_are_stored_lower_case():
    for email in ["Erika.Mustermann+Hotline@Example.DE", "jörg@müller.de", "a@b.co"]:
        assert CustomerIn(name="Erika", email=email).email == email.lower()


def test_an_internationalised_domain_is_kept_as_written_in_idna_2008():
    # IDNA 2003 read "straße.de" as "strasse.de", another domain with another owner.
    assert CustomerIn(name="Hans", email="hans@Straße.de").email == "hans@straße.de"
    # The ASCII form of the same domain is the same address, stored the same way.
    assert CustomerIn(name="Hans", email="hans@xn--strae-oqa.de").email == "hans@straße.de"


def test_a_date_alone_lasts_to_the_end_of_that_day_in_the_portals_time_zone():
    summer = SubscriptionIn(valid_until="2026-06-30").valid_until
    assert end_of_validity(summer, "Europe/Berlin") == datetime(2026, 6, 30, 21, 59, 59, tzinfo=UTC)
    assert end_of_validity(summer, "UTC") == datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC)
    exact = SubscriptionIn(valid_until="2026-06-30T08:00:00-04:00").valid_until
    assert end_of_validity(exact, "Europe/Berlin") == datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
