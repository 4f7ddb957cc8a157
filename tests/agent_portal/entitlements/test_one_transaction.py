"""One unit of work: the changes a request makes in several domains (an unlock code and
its audit entry, an unlink and its audit entry) are committed by the route that owns the
request, together, or not at all when it fails before its commit. On both databases."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from sqlalchemy import func, select

from agent_portal.audit.models import AuditEntry
from agent_portal.audit.service import Actor
from agent_portal.customers import service as customers
from agent_portal.customers.models import Device, Platform
from agent_portal.database import utcnow
from agent_portal.devices import service as devices
from agent_portal.devices.audit_events import Event as DeviceEvent
from agent_portal.unlock_codes import service as unlock_codes
from agent_portal.unlock_codes.audit_events import Event as UnlockCodeEvent
from agent_portal.unlock_codes.models import UnlockCode
from tests.support.portal_data import add_customer, create_staff


def _count(db_session, model, *where) -> int:
    return db_session.scalar(select(func.count()).select_from(model).where(*where))


def _events(db_session, event: StrEnum) -> int:
    return _count(db_session, AuditEntry, AuditEntry.event == event.value)


def test_an_issued_code_and_its_audit_entry_are_stored_together_or_not_at_all(db_session, keys):
    customer = add_customer(db_session, "K-100234")
    staff = create_staff(db_session, "anna.berger", "agent")

    def issue():
        return unlock_codes.issue(
            db_session=db_session,
            keys=keys,
            customer=customer,
            staff=staff,
            now=utcnow(),
            lifetime=timedelta(minutes=15),
        )

    issue()
    db_session.rollback()  # the route failed after the service, before its commit
    assert _count(db_session, UnlockCode) == 0
    assert _events(db_session, UnlockCodeEvent.UNLOCK_CODE_ISSUED) == 0

    issue()
    db_session.commit()  # the route got to its end
    assert _count(db_session, UnlockCode) == 1
    assert _events(db_session, UnlockCodeEvent.UNLOCK_CODE_ISSUED) == 1


def test_an_unlink_whose_request_fails_keeps_the_device_and_audits_nothing(db_session):
    customer = add_customer(db_session, "K-100234")
    staff = create_staff(db_session, "anna.berger", "agent")
    device = customers.add_device(
        db_session=db_session, customer=customer, name="Erikas Laptop", platform=Platform.LINUX
    )
    db_session.commit()
    device_id = device.id

    devices.unlink(db_session=db_session, device=device, actor=Actor.staff(staff), now=utcnow())
    db_session.rollback()
    assert db_session.get(Device, device_id) is not None
    assert _events(db_session, DeviceEvent.DEVICE_UNLINKED) == 0

    device = db_session.get(Device, device_id)
    devices.unlink(db_session=db_session, device=device, actor=Actor.staff(staff), now=utcnow())
    db_session.commit()
    assert _count(db_session, Device, Device.id == device_id) == 0
    assert _events(db_session, DeviceEvent.DEVICE_UNLINKED) == 1
