"""Demo staff and customers, for trying the portal: never load them into a real database,
since every demo login shares one published password.

Loading twice changes nothing: existing demo staff and customers are left as they are.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from agent_portal.auth import service as staff_service
from agent_portal.chat.topics import set_topics
from agent_portal.customers import service as customer_service
from agent_portal.customers.models import Platform
from agent_portal.customers.schemas import CustomerIn
from agent_portal.database import utcnow
from agent_portal.devices.credentials import set_password
from agent_portal.experts.demo_profiles import seed_demo_profiles
from agent_portal.knowledge.seed import load_starter_articles
from isp_common.live_wire import Topic

DEMO_PASSWORD = "demo-password"

# (username, role, display name)
DEMO_STAFF = [
    ("admin", "admin", "Alex Admin"),
    ("agent", "agent", "Sabine Hotline"),
    ("expert", "expert", "Erik Experte"),
    ("lina", "expert", "Lina Berger"),
    ("marco", "expert", "Marco Rossi"),
]

# (account number, name, e-mail, language, tier, days the subscription still runs, devices)
DEMO_CUSTOMERS = [
    (
        "1000001",
        "Anna Müller",
        "anna.mueller@example.net",
        "de",
        "premium",
        200,
        [("Annas Laptop", Platform.WINDOWS)],
    ),
    (
        "1000002",
        "Bernd Schneider",
        "bernd.schneider@example.net",
        "de",
        "none",
        None,
        [("Wohnzimmer-PC", Platform.WINDOWS)],
    ),
    (
        "1000003",
        "Claire Dubois",
        "claire.dubois@example.net",
        "en",
        "premium_plus",
        30,
        [("MacBook", Platform.MACOS), ("Office PC", Platform.LINUX)],
    ),
    ("1000004", "Dieter Weber", "dieter.weber@example.net", "de", "premium", -10, []),
    ("1000005", "Emma Fischer", "emma.fischer@example.net", "en", "none", None, []),
]


def seed_demo_data(*, db_session: Session, time_zone: str, currency: str = "CHF") -> None:
    """Adds what is missing of the demo data; the command that calls it commits."""
    for username, role, display_name in DEMO_STAFF:
        if staff_service.get_staff_by_username(db_session=db_session, username=username) is None:
            staff_service.create_staff(
                db_session=db_session,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                display_name=display_name,
            )
    agent = staff_service.get_staff_by_username(db_session=db_session, username="agent")
    set_topics(db_session=db_session, staff=agent, topics=list(Topic))  # takes every chat
    admin = staff_service.get_staff_by_username(db_session=db_session, username="admin")
    load_starter_articles(db_session=db_session, author=admin)
    # The experts' approved profiles, with the starter category tree of the migration.
    seed_demo_profiles(db_session=db_session, currency=currency)
    now = utcnow()
    for number, name, email, language, tier, days_left, devices in DEMO_CUSTOMERS:
        if customer_service.get(db_session=db_session, account_number=number) is not None:
            continue
        valid_until = None if days_left is None else now + timedelta(days=days_left)
        customer_in = CustomerIn(
            name=name,
            email=email,
            language=language,
            subscription={"tier": tier, "valid_until": valid_until},
        )
        saved = customer_service.save(
            db_session=db_session,
            account_number=number,
            customer_in=customer_in,
            time_zone=time_zone,
        )
        # Customers sign in to the assistant with the same demo password.
        set_password(
            db_session=db_session, customer=saved.customer, password=DEMO_PASSWORD, now=now
        )
        for device_name, platform in devices:
            customer_service.add_device(
                db_session=db_session,
                customer=saved.customer,
                name=device_name,
                platform=platform,
                last_seen_at=now - timedelta(hours=3),
            )
