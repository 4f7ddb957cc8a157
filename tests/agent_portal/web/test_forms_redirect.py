"""Post/redirect/get, read from the app's own route table: every form of the portal's
pages (each POST route outside /api/) answers a valid submission with 303 See Other to a
page that exists (a GET route), so a reload repeats nothing and the address bar always
holds a page the language switch can load again. A new form that answers with a page
instead fails here, and so does one this file has no valid submission for."""

from __future__ import annotations

import html as html_text
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.routing import compile_path

from agent_portal.app import ROUTERS
from agent_portal.auth.access import api_routes
from agent_portal.auth.models import StaffMember
from agent_portal.chat.models import Conversation
from agent_portal.consent import service as consent
from agent_portal.customers.models import Device
from agent_portal.database import utcnow
from agent_portal.experts.models import ExpertProfile
from agent_portal.knowledge.models import ArticleStatus
from agent_portal.screen_sharing import service as screen_sharing
from tests.agent_portal.invoices.sessions import ended_session, people
from tests.agent_portal.session_ratings.support import paid_session
from tests.agent_portal.web.world import ENGLISH, StaffBrowser, World, in_two_days_at_ten
from tests.support.portal_data import STAFF_PASSWORD, TLS_CHECK


@dataclass
class Submission:
    path: str
    data: dict = field(default_factory=dict)
    files: dict | None = None
    client: httpx.Client | None = None  # another browser than the admin's (the login)


def _login(world: World, _admin: StaffBrowser) -> Submission:
    world.staff("anna.berger", "agent")
    client = httpx.Client(verify=TLS_CHECK, base_url=world.base_url, timeout=30, headers=ENGLISH)
    world.clients.append(client)
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    data = {"csrf_token": token, "username": "anna.berger", "password": STAFF_PASSWORD}
    return Submission("/login", data, client=client)


def _customer_with_device(world: World):
    customer = world.customer("K-100234")
    return customer, world.device(customer)


def _on_device(action: str, *, online: bool = False):
    def arrange(world: World, _admin: StaffBrowser) -> Submission:
        customer, device = _customer_with_device(world)
        if online:
            world.online(device)
        return Submission(
            f"/portal/customers/{customer.account_number}/devices/{device.id}/{action}"
        )

    return arrange


def _revoke_code(world: World, admin: StaffBrowser) -> Submission:
    customer = world.customer("K-100234")
    code_id = world.unlock_code(customer, admin.member)
    return Submission(f"/portal/customers/K-100234/unlock-codes/{code_id}/revoke")


def _article(action: str, status: ArticleStatus = ArticleStatus.DRAFT, **data):
    def arrange(world: World, admin: StaffBrowser) -> Submission:
        article_id = world.article(admin.member, status)
        return Submission(f"/portal/knowledge/{article_id}{action}", data)

    return arrange


ARTICLE_FIELDS = {
    "problem": "The e-mail program asks for the password again and again",
    "symptoms": "Thunderbird shows the password dialog every few minutes.",
    "solution": "1. Open the account settings.\n2. Enter the new password once.",
    "tags": "email, password",
    "language": "en",
}


def _chat(action: str, mine: bool = True, **data):
    def arrange(world: World, admin: StaffBrowser) -> Submission:
        customer = world.customer("K-100234")
        conversation_id = world.conversation(customer, agent=admin.member if mine else None)
        files = None
        if action == "attachments":
            files = {"file": ("router.txt", b"Router model FRITZ!Box 7590", "text/plain")}
        return Submission(f"/portal/chats/{conversation_id}/{action}", data, files)

    return arrange


def _chat_topics(world: World, _admin: StaffBrowser) -> Submission:
    colleague = world.staff("ben.keller", "agent")
    return Submission(f"/portal/chat-topics/{colleague.id}", {"topics": ["wifi", "email"]})


def _staff_member(action: str, *, active: bool = True, **data):
    def arrange(world: World, _admin: StaffBrowser) -> Submission:
        colleague = world.staff("ben.keller", "agent")
        if not active:
            with world.session() as db_session:
                db_session.get(StaffMember, colleague.id).is_active = False
                db_session.commit()
        return Submission(f"/portal/admin/staff/{colleague.id}{action}", data)

    return arrange


def _expert_form(world: World, _admin: StaffBrowser) -> Submission:
    expert = world.browser("eva.keller", "expert")
    data = {
        "csrf_token": expert.csrf_token,
        "display_name": "Eva Keller",
        "languages": ["de"],
        "category_ids": [str(world.expert_category("Windows"))],
        "slogan": "Ich mache Ihren PC wieder schnell.",
        "text_language": "de",
        "price_per_minute": "1.50",
    }
    return Submission("/portal/expert/profile", data, client=expert.client)


def _expert_status(world: World, _admin: StaffBrowser) -> Submission:
    expert = world.browser("eva.keller", "expert")
    data = {"csrf_token": expert.csrf_token, "status": "away"}
    return Submission("/portal/expert/status", data, client=expert.client)


def _expert_time_zone(world: World, _admin: StaffBrowser) -> Submission:
    expert = world.browser("eva.keller", "expert")
    data = {"csrf_token": expert.csrf_token, "time_zone": "Europe/Zurich"}
    return Submission("/portal/expert/profile/time-zone", data, client=expert.client)


def _expert_decision(action: str, *, approved: bool = False, suspended: bool = False, **data):
    def arrange(world: World, _admin: StaffBrowser) -> Submission:
        profile_id = world.expert_profile("eva.keller", approved=approved, suspended=suspended)
        return Submission(f"/portal/admin/experts/{profile_id}/{action}", data)

    return arrange


def _expert_category(action: str, category: str = "Consoles", **data):
    def arrange(world: World, _admin: StaffBrowser) -> Submission:
        return Submission(
            f"/portal/admin/expert-categories/{world.expert_category(category)}/{action}", data
        )

    return arrange


def _offer(world: World, admin: StaffBrowser) -> Submission:
    conversation_id = world.conversation(world.customer("K-100234"), agent=admin.member)
    expert_id = world.expert_profile("eva.keller", approved=True)
    return Submission(f"/portal/chats/{conversation_id}/offer", {"expert_id": str(expert_id)})


def _withdraw_offer(world: World, admin: StaffBrowser) -> Submission:
    conversation_id = world.conversation(world.customer("K-100234"), agent=admin.member)
    offer_id = world.offer(
        conversation_id, admin.member, world.expert_profile("eva.keller", approved=True)
    )
    return Submission(f"/portal/chats/{conversation_id}/offers/{offer_id}/withdraw")


def _expert_in_prechat(world: World) -> tuple[StaffBrowser, int]:
    expert = world.browser("eva.keller", "expert")
    profile_id = world.expert_profile("eva.keller", approved=True, member=expert.member)
    return expert, world.prechat(world.customer("K-100234"), profile_id)


def _appointment(world: World, _admin: StaffBrowser) -> Submission:
    expert, conversation_id = _expert_in_prechat(world)
    data = {
        "csrf_token": expert.csrf_token,
        "conversation_id": str(conversation_id),
        "day": in_two_days_at_ten().date().isoformat(),
        "start_time": "10:00",
        "time_zone": "Europe/Zurich",
        "duration_minutes": "30",
        "terms": "free",
    }
    return Submission("/portal/expert/appointments", data, client=expert.client)


def _cancel_appointment(world: World, _admin: StaffBrowser) -> Submission:
    expert, conversation_id = _expert_in_prechat(world)
    appointment_id = world.appointment(conversation_id, expert.member)
    return Submission(
        f"/portal/expert/appointments/{appointment_id}/cancel",
        {"csrf_token": expert.csrf_token},
        client=expert.client,
    )


def _propose_session(world: World, _admin: StaffBrowser) -> Submission:
    expert, conversation_id = _expert_in_prechat(world)
    data = {"csrf_token": expert.csrf_token, "command_id": "p-1", "terms": "per_minute"}
    return Submission(
        f"/portal/chats/{conversation_id}/paid-session/propose", data, client=expert.client
    )


def _session_step(step: str):
    """A step of the expert's panel on a session in the state it fits: proposed
    (withdraw), running (pause, end) or paused (ask to resume)."""

    def arrange(world: World, _admin: StaffBrowser) -> Submission:
        from agent_portal.paid_sessions import service as paid_sessions

        expert, conversation_id = _expert_in_prechat(world)
        config = paid_sessions.Config()
        with world.session() as db_session:
            expert_side = paid_sessions.Sender("expert", expert.member.id)
            session_id = paid_sessions.propose(
                db_session=db_session,
                sender=expert_side,
                command_id="p-0",
                conversation_id=conversation_id,
                now=utcnow(),
                config=config,
            ).session.id
            if step != "withdraw":
                customer_id = db_session.get(Conversation, conversation_id).customer_id
                paid_sessions.confirm(
                    db_session=db_session,
                    sender=paid_sessions.Sender("customer", customer_id),
                    command_id="c-0",
                    session_id=session_id,
                    maximum=1000,
                    now=utcnow(),
                    config=config,
                )
            if step == "resume":
                paid_sessions.pause(
                    db_session=db_session,
                    sender=expert_side,
                    command_id="s-0",
                    session_id=session_id,
                    now=utcnow(),
                    config=config,
                )
            db_session.commit()
        return Submission(
            f"/portal/chats/{conversation_id}/paid-session/{session_id}/{step}",
            {"csrf_token": expert.csrf_token, "command_id": f"{step}-1"},
            client=expert.client,
        )

    return arrange


def _rate_customer(world: World, _admin: StaffBrowser) -> Submission:
    expert = world.browser("eva.keller", "expert")
    profile_id = world.expert_profile("eva.keller", approved=True, member=expert.member)
    customer = world.customer("K-100234")
    with world.session() as db_session:
        session = paid_session(db_session, customer, db_session.get(ExpertProfile, profile_id))
        session.ended_at = utcnow() - timedelta(hours=1)
        db_session.commit()
        session_id = session.id
    data = {"csrf_token": expert.csrf_token, "stars": "4", "text": "Gut vorbereitet"}
    return Submission(f"/portal/expert/ratings/{session_id}", data, client=expert.client)


def _payout(world: World, _admin: StaffBrowser) -> Submission:
    expert = world.staff("erik.expert", "expert")
    with world.session() as db_session:
        who = people(db_session, staff=expert)
        ended_session(db_session, who, amount=3000, ended_at=datetime(2025, 11, 10, tzinfo=UTC))
    return Submission(f"/portal/payouts/2025-11/{expert.id}/paid")


def _refund(world: World, _admin: StaffBrowser) -> Submission:
    session_id = world.paid_session(world.customer("K-100234"))
    data = {"part": "charge", "amount": "2.50", "reason": "Verbindung brach ab"}
    return Submission(f"/portal/admin/billing/sessions/{session_id}/refund", data)


def _resolve_dispute(world: World, _admin: StaffBrowser) -> Submission:
    session_id = world.paid_session(world.customer("K-100234"))
    world.dispute(session_id)
    data = {"resolution": "rejected", "note": "Die Sitzung lief zehn Minuten."}
    return Submission(f"/portal/admin/billing/sessions/{session_id}/dispute/resolve", data)


NEW_PASSWORD = {
    "current_password": STAFF_PASSWORD,
    "new_password": "a password of my own",
    "new_password_again": "a password of my own",
}


def _screen_chat(world: World, admin: StaffBrowser) -> int:
    """A chat the admin took, from a device whose assistant is online."""
    customer, device = _customer_with_device(world)
    world.online(device)
    return world.conversation(customer, agent=admin.member, device=device)


def _ask_to_see(world: World, admin: StaffBrowser) -> Submission:
    conversation_id = _screen_chat(world, admin)
    reason = {"reason": "I would like to see the Wi-Fi settings."}
    return Submission(f"/portal/chats/{conversation_id}/screen", reason)


def _screen_view(action: str):
    """The admin's screen view, granted by the customer, asked for in a chat."""

    def arrange(world: World, admin: StaffBrowser) -> Submission:
        conversation_id = _screen_chat(world, admin)
        with world.session() as db_session:
            conversation = db_session.get(Conversation, conversation_id)
            now = utcnow()
            view = consent.ask(
                db_session=db_session,
                kind="screen_view",
                device=db_session.get(Device, conversation.device_id),
                staff=db_session.get(StaffMember, admin.member.id),
                now=now,
                answer_within=timedelta(minutes=5),
                lasts=None,
                reason="I would like to see the Wi-Fi settings.",
            )
            screen_sharing.record_view(
                db_session=db_session, consent=view, conversation_id=conversation_id
            )
            consent.answer(
                db_session=db_session,
                consent_id=view.id,
                device_id=conversation.device_id,
                granted=True,
                choice="screen",
                now=now,
            )
            db_session.commit()
            return Submission(f"/portal/screen/{view.id}/{action}")

    return arrange


# A valid submission of each form, by its route.
FORMS: dict[str, Callable[[World, StaffBrowser], Submission]] = {
    "/login": _login,
    "/logout": lambda world, admin: Submission("/logout"),
    "/portal/admin/api-keys": lambda world, admin: Submission(
        "/portal/admin/api-keys", {"name": "crm"}
    ),
    "/portal/admin/api-keys/{api_key_id}/revoke": lambda world, admin: Submission(
        f"/portal/admin/api-keys/{world.api_key()}/revoke"
    ),
    "/portal/customers/{account_number}/unlock-codes": lambda world, admin: Submission(
        f"/portal/customers/{world.customer('K-100234').account_number}/unlock-codes"
    ),
    "/portal/customers/{account_number}/unlock-codes/{code_id}/revoke": _revoke_code,
    "/portal/customers/{account_number}/devices/{device_id}/offline-code": _on_device(
        "offline-code"
    ),
    "/portal/customers/{account_number}/devices/{device_id}/unlink": _on_device("unlink"),
    "/portal/customers/{account_number}/devices/{device_id}/diagnostics": _on_device(
        "diagnostics", online=True
    ),
    "/portal/knowledge": lambda world, admin: Submission("/portal/knowledge", ARTICLE_FIELDS),
    "/portal/knowledge/{article_id}": _article("", **ARTICLE_FIELDS),
    "/portal/knowledge/{article_id}/publish": _article("/publish"),
    "/portal/knowledge/{article_id}/unpublish": _article("/unpublish", ArticleStatus.PUBLISHED),
    "/portal/knowledge/{article_id}/delete": _article("/delete"),
    "/portal/chats/{conversation_id}/take": _chat("take", mine=False),
    "/portal/chats/{conversation_id}/transfer": _chat("transfer", target="topic:email"),
    "/portal/chats/{conversation_id}/close": _chat("close"),
    "/portal/chats/{conversation_id}/attachments": _chat("attachments", text="The model"),
    "/portal/chats/{conversation_id}/draft-article": _chat("draft-article"),
    "/portal/chat-topics/{staff_id}": _chat_topics,
    "/portal/chats/{conversation_id}/screen": _ask_to_see,
    "/portal/screen/{consent_id}/control": _screen_view("control"),
    "/portal/screen/{consent_id}/stop": _screen_view("stop"),
    "/portal/admin/staff": lambda world, admin: Submission(
        "/portal/admin/staff", {"username": "cleo", "display_name": "Cleo", "role": "agent"}
    ),
    "/portal/admin/staff/{staff_id}": _staff_member("", display_name="Ben", role="expert"),
    "/portal/admin/staff/{staff_id}/deactivate": _staff_member("/deactivate"),
    "/portal/admin/staff/{staff_id}/reactivate": _staff_member("/reactivate", active=False),
    "/portal/admin/staff/{staff_id}/password": _staff_member("/password"),
    "/portal/password": lambda world, admin: Submission("/portal/password", NEW_PASSWORD),
    "/portal/expert/profile": _expert_form,
    "/portal/expert/status": _expert_status,
    "/portal/expert/profile/time-zone": _expert_time_zone,
    "/portal/admin/experts/{profile_id}/approve": _expert_decision("approve"),
    "/portal/admin/experts/{profile_id}/reject": _expert_decision("reject", reason="Foto fehlt"),
    "/portal/admin/experts/{profile_id}/suspend": _expert_decision(
        "suspend", approved=True, reason="Beschwerden"
    ),
    "/portal/admin/experts/{profile_id}/reinstate": _expert_decision("reinstate", suspended=True),
    "/portal/admin/expert-categories": lambda world, admin: Submission(
        "/portal/admin/expert-categories", {"name_de": "Drohnen", "name_en": "Drones"}
    ),
    "/portal/admin/expert-categories/{category_id}/rename": _expert_category(
        "rename", name_de="Spielkonsolen", name_en="Game consoles"
    ),
    "/portal/admin/expert-categories/{category_id}/move": _expert_category("move", parent_id=""),
    "/portal/admin/expert-categories/{category_id}/up": _expert_category("up", "PC games"),
    "/portal/admin/expert-categories/{category_id}/down": _expert_category("down"),
    "/portal/admin/expert-categories/{category_id}/remove": _expert_category("remove"),
    "/portal/chats/{conversation_id}/offer": _offer,
    "/portal/chats/{conversation_id}/offers/{offer_id}/withdraw": _withdraw_offer,
    "/portal/expert/appointments": _appointment,
    "/portal/expert/appointments/{appointment_id}/cancel": _cancel_appointment,
    "/portal/chats/{conversation_id}/paid-session/propose": _propose_session,
    "/portal/chats/{conversation_id}/paid-session/{session_id}/withdraw": _session_step("withdraw"),
    "/portal/chats/{conversation_id}/paid-session/{session_id}/pause": _session_step("pause"),
    "/portal/chats/{conversation_id}/paid-session/{session_id}/resume": _session_step("resume"),
    "/portal/chats/{conversation_id}/paid-session/{session_id}/end": _session_step("end"),
    "/portal/expert/ratings/{session_id}": _rate_customer,
    "/portal/payouts/{period}/{staff_id}/paid": _payout,
    "/portal/admin/billing/sessions/{session_id}/refund": _refund,
    "/portal/admin/billing/sessions/{session_id}/dispute/resolve": _resolve_dispute,
}


# Forms that still answer with a page of their own (none now). Each is expected to fail
# below, and the test says so once it redirects: then take it off this list.
NOT_YET_REDIRECTING: set[str] = set()


def form_routes(routes) -> list[str]:
    """The paths of the portal's form routes: POST, outside the JSON API."""
    return sorted(
        {
            route.path
            for route in api_routes(routes)
            if "POST" in route.methods and not route.path.startswith("/api/")
        }
    )


_PAGES: list[re.Pattern] = []


def page_routes(routes) -> list[re.Pattern]:
    """Read from the first app only: every app of the run serves the same routes, and
    walking them with their dependencies takes FastAPI a good part of a second."""
    if not _PAGES:
        _PAGES.extend(
            compile_path(route.path)[0]
            for route in api_routes(routes)
            if "GET" in route.methods and not route.path.startswith("/api/")
        )
    return _PAGES


def _router_routes() -> list:
    return [route for router in ROUTERS for route in router.routes]


def test_the_forms_are_the_apps(portal_app):
    """The list the tests below walk is the running app's, and each form has its test."""
    assert form_routes(portal_app.routes) == form_routes(_router_routes())
    untested = [path for path in form_routes(portal_app.routes) if path not in FORMS]
    assert untested == [], (
        f"forms without a valid submission in {__name__}.FORMS (add one): {untested}"
    )


def _with_known_gaps(routes: list[str]) -> list:
    gap = pytest.mark.xfail(strict=True, reason="answers with a page instead of a redirect")
    return [
        pytest.param(route, marks=gap) if route in NOT_YET_REDIRECTING else route
        for route in routes
    ]


# A world, a server and a few pages for each of some hundred forms, twice, is the quick
# loop's heaviest load: there these forms stand for the rest (signing in and out, a form
# of the customer, chat and knowledge pages each), and `make test` walks them all.
QUICK_LOOP_FORMS = {
    "/login",
    "/logout",
    "/portal/knowledge/{article_id}/publish",
    "/portal/chats/{conversation_id}/close",
    "/portal/customers/{account_number}/unlock-codes",
}


def _sampled(routes: list) -> list:
    def path(route) -> str:
        return route if isinstance(route, str) else route.values[0]

    assert {path(route) for route in routes} >= QUICK_LOOP_FORMS, "a sampled form is gone"
    return [
        route
        if path(route) in QUICK_LOOP_FORMS
        else pytest.param(
            *getattr(route, "values", (route,)),
            marks=[*getattr(route, "marks", ()), pytest.mark.slow],
        )
        for route in routes
    ]


@pytest.mark.parametrize("route", _sampled(_with_known_gaps(form_routes(_router_routes()))))
def test_a_form_answers_with_a_redirect_to_a_page(route, world, portal_app):
    admin = world.browser("ada.admin", "admin")
    arrange = FORMS.get(route)
    assert arrange is not None, f"add a valid submission of {route} to FORMS"
    submission = arrange(world, admin)
    client = submission.client or admin.client
    data = (
        submission.data
        if submission.client
        else {"csrf_token": admin.csrf_token, **submission.data}
    )

    answer = client.post(submission.path, data=data, files=submission.files)

    assert answer.status_code == 303, (
        f"POST {route} answered {answer.status_code} instead of 303 See Other to a page: "
        f"a reload would send the form again"
    )
    target = urlsplit(answer.headers["location"])
    assert target.netloc in ("", urlsplit(world.base_url).netloc)
    assert any(pattern.fullmatch(target.path) for pattern in page_routes(portal_app.routes)), (
        f"POST {route} redirects to {target.path}, which is no page (GET route) of the portal"
    )
    page = client.get(answer.headers["location"], follow_redirects=True)
    assert page.status_code == 200, f"{answer.headers['location']} answered {page.status_code}"


def language_links(html: str) -> dict[str, str]:
    return dict(
        (language, html_text.unescape(href))
        for href, language in re.findall(r'<a href="([^"]*)"[^>]*\blang="(de|en)"', html)
    )


@pytest.mark.parametrize("route", _sampled(form_routes(_router_routes())))
def test_the_language_switch_on_a_refused_form_leads_to_a_page(route, world, portal_app):
    """A refused form (here: its security token is wrong) answers with a page at the form's
    own address; its language links lead to a page, the one the form was sent from."""
    admin = world.browser("ada.admin", "admin")
    path = route
    for name in re.findall(r"{(\w+)}", route):
        path = path.replace(f"{{{name}}}", "1")
    sent_from = "/portal/customers?q=Mustermann"

    refused = admin.client.post(
        path, data={"csrf_token": "forged"}, headers={"Referer": world.base_url + sent_from}
    )

    assert refused.status_code == 403
    links = language_links(refused.text)
    assert set(links) == {"de", "en"}, "the page has no language switch"
    pages = page_routes(portal_app.routes)
    for language, link in links.items():
        target = urlsplit(link)
        assert any(pattern.fullmatch(target.path) for pattern in pages), (
            f"the language switch on the answer to POST {route} links to {link}, no page"
        )
        assert f"lang={language}" in target.query
        assert admin.client.get(link).status_code in (200, 303), link
    if route != "/login":  # the login form answers with a fresh login form
        assert links["de"] == sent_from + "&lang=de"


# HTML pages over HTTP: on SQLite only unless asked (tests/conftest.py).
pytestmark = pytest.mark.pages
