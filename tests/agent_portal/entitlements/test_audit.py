"""The audit log in the portal: every issue, redemption, failure and revocation with the
agent's name, for admins only, newest first, page by page."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import httpx
import pytest

from agent_portal.audit.service import Actor, record
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.customers import service as customers
from agent_portal.database import utcnow
from agent_portal.unlock_codes.audit_events import Event
from assistant.premium.errors import CodeInvalid
from tests.agent_portal.auth.accounts import log_in
from tests.support.browser import BrowserContexts, audit
from tests.support.portal_data import TLS_CHECK
from tests.support.premium_portal import PASSWORD, provision


@pytest.fixture
def browser_page(browser, portal):
    """`browser_page(user)`: a browser tab with that staff member's portal session."""
    contexts = BrowserContexts(browser)

    def make(user):
        context = contexts.new()
        token = user.client.cookies.get(SESSION_COOKIE)
        context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": portal.url}])
        return context.new_page()

    yield make
    contexts.close_all()


def rows(html: str) -> list[str]:
    """The audit table's rows as text without their time, newest first."""
    body = html.split('data-testid="audit-log"', 1)[1].split("</tbody>", 1)[0]
    texts = []
    for row in re.findall(r"<tr data-event=[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[1:]  # without the time
        texts.append(unescape(" ".join(re.sub(r"<[^>]+>", " ", " ".join(cells)).split())))
    return texts


def test_admins_see_who_issued_used_failed_and_revoked(api, assistants, staff_member):
    provision(api, "K-100234", tier="none")
    laptop = assistants()
    laptop.sign_in("K-100234", password=PASSWORD, device_name="Erikas Laptop")
    anna = staff_member("anna.berger", "agent")
    code = anna.issue_code("K-100234")
    with pytest.raises(CodeInvalid):
        laptop.unlock_with_code("0000 0000")
    laptop.unlock_with_code(code)
    anna.issue_code("K-100234")
    code_id = re.search(r'data-code-id="(\d+)"', anna.client.get("/portal/customers/K-100234").text)
    anna.post(f"/portal/customers/K-100234/unlock-codes/{code_id.group(1)}/revoke")
    admin = staff_member("ada.admin", "admin")

    page = admin.client.get("/portal/admin/audit")

    assert page.status_code == 200
    device = f"K-100234 Erikas Laptop {laptop.device_key.device_id} 127.0.0.1"
    assert rows(page.text)[:5] == [
        "Unlock code #2 revoked Anna Berger (Staff) K-100234",
        "Unlock code #2 issued Anna Berger (Staff) K-100234",
        f"Unlock code #1 used (issued by Anna Berger) Erikas Laptop (Customer's device) {device}",
        f"Unlock code refused (wrong code) Erikas Laptop (Customer's device) {device}",
        "Unlock code #1 issued Anna Berger (Staff) K-100234",
    ]
    german = admin.client.get("/portal/admin/audit", params={"lang": "de"}).text
    assert "Protokoll" in german and "Freischaltcode #2 zurückgezogen" in german


def test_failed_portal_logins_and_their_lock_are_in_the_log(portal, staff_member, settings):
    with httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=30) as stranger:
        for _attempt in range(settings.login_max_failures):
            log_in(stranger, "Chef", "Passwort123")
    admin = staff_member("ada.admin", "admin")

    page = admin.client.get("/portal/admin/audit").text

    assert rows(page)[:3] == [
        "Portal login locked after failed attempts, the last as “chef” Not logged in 127.0.0.1",
        "Failed portal login as “chef” Not logged in 127.0.0.1",
        "Failed portal login as “chef” Not logged in 127.0.0.1",
    ]
    german = admin.client.get("/portal/admin/audit", params={"lang": "de"}).text
    assert "Fehlgeschlagene Anmeldung im Portal als „chef“" in german
    assert "Nicht angemeldet" in german


def test_agents_may_not_read_the_audit_log(agent):
    refused = agent.client.get("/portal/admin/audit")
    assert refused.status_code == 403
    assert 'data-testid="audit-log"' not in refused.text


def test_the_log_is_paged_newest_first_and_filtered_by_customer(api, staff_member, db_session):
    provision(api, "K-100234", password=None)
    provision(api, "K-200300", password=None)
    erika = customers.get(db_session=db_session, account_number="K-100234")
    other = customers.get(db_session=db_session, account_number="K-200300")
    start = utcnow() - timedelta(hours=3)
    for minute in range(120):
        record(
            db_session=db_session,
            event=Event.UNLOCK_CODE_ISSUED,
            actor=Actor("staff", f"Agent {minute}"),
            now=start + timedelta(minutes=minute),
            customer=erika if minute % 2 else other,
            code_id=minute,
        )
    db_session.commit()
    admin = staff_member("ada.admin", "admin")

    first = admin.client.get("/portal/admin/audit").text
    third = admin.client.get("/portal/admin/audit", params={"page": 3}).text
    erikas = admin.client.get("/portal/admin/audit", params={"account": "k-100234"}).text

    assert len(rows(first)) == 50 and rows(first)[0].startswith("Unlock code #119 issued Agent 119")
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert len(rows(third)) == 20 and rows(third)[0].startswith("Unlock code #19 issued")
    assert rows(third)[-1].startswith("Unlock code #0 issued Agent 0")
    assert 'rel="next"' not in third
    assert len(rows(erikas)) == 50 and all("K-100234" in row for row in rows(erikas))
    assert 'href="?page=2&amp;account=K-100234"' in erikas


def device_cells(html: str) -> list[tuple[str, str]]:
    """Each row's device cell: (the name shown, the id beside it in small print)."""
    body = html.split('data-testid="audit-log"', 1)[1].split("</tbody>", 1)[0]
    cells = []
    for row in re.findall(r"<tr data-event=[^>]*>(.*?)</tr>", body, re.S):
        cell = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[4]
        small = re.search(r'<code class="device-id"[^>]*>([^<]*)</code>', cell)
        name = re.sub(r"<code.*?</code>|<[^>]+>", " ", cell, flags=re.S)
        cells.append((unescape(" ".join(name.split())), small.group(1) if small else ""))
    return cells


def test_the_device_column_names_the_device_and_keeps_its_id_for_support(
    api, assistants, staff_member, db_session
):
    provision(api, "K-100234", tier="none")
    laptop = assistants()
    laptop.sign_in("K-100234", password=PASSWORD, device_name="Erikas Laptop")
    device_id = laptop.device_key.device_id
    erika = customers.get(db_session=db_session, account_number="K-100234")
    # Entries that carry only the id: by staff, and for a device that is gone without a name.
    record(
        db_session=db_session,
        event=Event.UNLOCK_CODE_FAILED,
        actor=Actor("staff", "Anna Berger"),
        now=utcnow(),
        customer=erika,
        device_id=device_id,
        reason="expired",
    )
    record(
        db_session=db_session,
        event=Event.UNLOCK_CODE_FAILED,
        actor=Actor("system", ""),
        now=utcnow() + timedelta(seconds=1),
        customer=erika,
        device_id="abcdefghijklmnopqrstuvwxyz",
        reason="wrong",
    )
    db_session.commit()
    admin = staff_member("ada.admin", "admin")

    page = admin.client.get("/portal/admin/audit", params={"lang": "en"}).text
    cells = device_cells(page)
    assert cells[0] == ("Unknown device", "abcdefghijklmnopqrstuvwxyz")
    assert cells[1] == ("Erikas Laptop", device_id)  # its name, though only the id was kept
    assert ("Erikas Laptop", device_id) in cells[2:]  # linked: as named at the time
    german = device_cells(admin.client.get("/portal/admin/audit", params={"lang": "de"}).text)
    assert german[0] == ("Unbekanntes Gerät", "abcdefghijklmnopqrstuvwxyz")


@pytest.mark.browser
def test_the_audit_log_reads_well_in_a_browser(portal, api, assistants, staff_member, browser_page):
    provision(api, "K-100234", tier="none")
    laptop = assistants()
    laptop.sign_in("K-100234", password=PASSWORD, device_name="Erikas Laptop")
    admin = staff_member("ada.admin", "admin")
    page = browser_page(admin)
    for language, example, name in (
        ("en", "e.g. 1000002", "Administration"),
        ("de", "z. B. 1000002", "Verwaltung"),
    ):
        page.goto(f"{portal.url}/portal/admin/audit?lang={language}")
        assert page.get_attribute("#account", "placeholder") == example
        cell = page.locator("[data-testid=audit-log] tbody tr").first.locator("td").nth(4)
        assert cell.inner_text().splitlines() == ["Erikas Laptop", laptop.device_key.device_id]
        # The menu marks where the admin is: the audit log belongs to the administration.
        current = page.locator("header nav a[aria-current=page]")
        assert current.inner_text() == name
        audit(page, f"audit-log-{language}")
