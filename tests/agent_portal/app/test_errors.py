"""Every refusal the server words for a person derives from one base,
`agent_portal.errors.PortalError`, and has its message in German as well: on the JSON API
in the language the client asks for (English unless it asks), with the same code and body
as always."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import agent_portal
from agent_portal.errors import PortalError
from agent_portal.i18n import LOCALE_DIR
from isp_common.premium_wire import REFRESH_PATH
from tests.support.translations import placeholders_lost, texts_in, without_german

PORTAL = Path(agent_portal.__file__).parent
PORTAL_PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po"

# The server's exceptions that never reach a person as they are, and where each ends.
SMTP_ANSWER = "an SMTP answer to the sending mail server"
NOT_SHOWN = {
    "agent_portal.auth.access.AccessRuleConflict": "stops the start: a route's two rules",
    "agent_portal.web.body_limits.BodyTooLarge": "the middleware answers its own 413",
    "agent_portal.attempts.service.AttemptsUsedUp": "each domain raises its own lock",
    "agent_portal.attempts.service.AttemptsInFlight": "each domain raises its own lock",
    "agent_portal.customers.importer.ImportFileError": "the import command prints it",
    "agent_portal.mail.sender.MailError": "the outbox logs it and tries again",
    "agent_portal.mail.sender.MailRejected": "the outbox logs it and gives up",
    "agent_portal.jobs.errors.CoordinationError": "workers agreeing on work",
    "agent_portal.jobs.errors.LockTimeout": "workers agreeing on work",
    "agent_portal.unlock_codes.offline.UsesStoredMeanwhile": "acknowledged all the same",
    "agent_portal.devices.service.LinkRefused": "carries a DeviceLimitReached to the route",
    "agent_portal.consent.flows.DeviceUnavailable": "the page words why in its own text",
    "agent_portal.realtime.device_auth.DeviceRefused": "the device's handshake, by code",
    "agent_portal.mail_relay.errors.RelayRefusal": SMTP_ANSWER,
    "agent_portal.mail_relay.errors.UnknownReplyAddress": SMTP_ANSWER,
    "agent_portal.mail_relay.errors.SenderNotParticipant": SMTP_ANSWER,
    "agent_portal.mail_relay.errors.ConversationEnded": SMTP_ANSWER,
    "agent_portal.mail_relay.errors.NothingNew": SMTP_ANSWER,
    "agent_portal.mail_relay.errors.ReplyTooLarge": SMTP_ANSWER,
}


def portal_exceptions() -> dict[str, type]:
    found = {}
    for module_info in pkgutil.walk_packages([str(PORTAL)], "agent_portal."):
        if ".migrations" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
            ):
                found[f"{module.__name__}.{name}"] = value
    return found


def test_every_refusal_of_every_domain_derives_from_the_one_base():
    exceptions = portal_exceptions()
    assert "agent_portal.chat.errors.ConversationClosed" in exceptions  # the scan finds them
    outside = sorted(
        name
        for name, cls in exceptions.items()
        if not issubclass(cls, PortalError) and name not in NOT_SHOWN
    )
    assert outside == [], "derive these from agent_portal.errors.PortalError"
    # Each domain's errors.py holds refusals only, apart from the workers' coordination.
    for path in sorted(PORTAL.glob("*/errors.py")):
        module = f"agent_portal.{path.parent.name}.errors."
        for name, cls in exceptions.items():
            if name.startswith(module) and name not in NOT_SHOWN:
                assert issubclass(cls, PortalError), name


def test_every_refusals_message_has_a_german_translation():
    refusals = [cls for cls in portal_exceptions().values() if issubclass(cls, PortalError)]
    templates = {(cls.template,) for cls in refusals}
    assert ("There is no such conversation.",) in templates
    untranslated = without_german(templates, PORTAL_PO)
    assert untranslated == [], f"add German translations to portal.po for: {untranslated}"
    # The texts marked in the errors modules too (the ones raised with their own words).
    texts = texts_in(PORTAL / "errors.py", *PORTAL.glob("*/errors.py"))
    assert without_german(texts, PORTAL_PO) == []
    assert placeholders_lost(texts | templates, PORTAL_PO) == []


def test_a_refusal_says_its_values_in_the_readers_language():
    from agent_portal.chat.errors import AttachmentTooLarge, IllegalTransition

    too_large = AttachmentTooLarge(1_500_000, 1_000_000)
    assert too_large.in_language("en") == (
        "The attachment is too large (1.5 MB); at most 1 MB are allowed."
    )
    assert too_large.in_language("de") == (
        "Der Anhang ist zu groß (1,5 MB); erlaubt sind höchstens 1 MB."
    )
    closed = IllegalTransition("send", "closed")
    assert closed.code == "illegal_transition" and closed.status_code == 409
    assert str(closed) == closed.message == "This is not possible now: the conversation is closed."
    assert closed.in_language("de") == "Das geht jetzt nicht: Das Gespräch ist beendet."


SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

UNSIGNED = {
    "en": (
        "The request is not signed by a device: the header X-Device-Id, X-Device-Timestamp, "
        "X-Device-Signature is missing or empty."
    ),
    "de": (
        "Die Anfrage ist von keinem Gerät signiert: Der Header X-Device-Id, "
        "X-Device-Timestamp, X-Device-Signature fehlt oder ist leer."
    ),
}


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("headers", "language"),
    [
        ({}, "en"),  # a program that asks for no language reads English, as always
        ({"Accept-Language": "de-DE,de;q=0.9"}, "de"),
        ({"Accept-Language": "en"}, "en"),
    ],
)
def test_an_api_refusal_is_worded_in_the_language_the_client_asks_for(http, headers, language):
    response = http.post(REFRESH_PATH, headers=headers, json={})
    assert response.status_code == 401
    assert response.json() == {"detail": UNSIGNED[language], "code": "device_auth_missing"}


@SQLITE_ONLY
def test_the_api_key_refusals_keep_their_body_and_header(http):
    response = http.get("/api/v1/provisioning/customers/K-100234")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {
        "detail": (
            "The API key is missing: send it as 'Authorization: Bearer <key>' or "
            "'X-API-Key: <key>'."
        ),
        "code": "api_key_missing",
    }
    response = http.get(
        "/api/v1/provisioning/customers/K-100234",
        headers={"Authorization": "Bearer not-a-key", "Accept-Language": "de"},
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert response.json() == {
        "detail": "Der API-Schlüssel ist ungültig: Er ist unbekannt oder wurde widerrufen.",
        "code": "api_key_invalid",
    }
