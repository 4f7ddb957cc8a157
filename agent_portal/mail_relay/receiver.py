"""The relay's SMTP receiver (aiosmtpd), run by the portal server itself when
`PORTAL_MAIL_RELAY_LISTEN` names an address.

Each worker of the server tries to bind the address every few seconds while it has no
receiver; the first one gets it and the others' attempts fail quietly, so one host
receives on one port whatever the number of workers, and should that worker stop, another
takes over at its next attempt. Several hosts may each run one (several MX records): they
share the database, and a reply is added under the conversation's own lock of numbers.

The receiver runs on the live channel's event loop: a reply it adds reaches open portal
tabs and the customer's assistant as any message does.

What it answers (refusals in `errors`): RCPT to anything but a known reply address of the
relay's domain: 550; a second recipient: 452; an envelope sender that is not the
participant's: 550 (and an audit entry). DATA whose From is not the participant's: 550
(audited); no text of its own: 550; too long for a chat message: 552; larger than
`PORTAL_MAIL_RELAY_MAX_BYTES`: 552 (aiosmtpd).
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import hashlib
import logging

from aiosmtpd.smtp import SMTP

from agent_portal.chat import flows
from agent_portal.mail_relay import service
from agent_portal.mail_relay.errors import RelayRefusal, UnknownReplyAddress
from agent_portal.mail_relay.extract import reply_of
from agent_portal.realtime.hub import LiveServices

log = logging.getLogger(__name__)

TOKEN_ATTRIBUTE = "relay_token"
_told_taken: set[str] = set()  # the workers that logged that the address was taken


def parse_listen(listen: str) -> tuple[str, int]:
    """ "127.0.0.1:2525", "[::1]:2525" or ":2525" (every address) as (host, port)."""
    host, colon, port = listen.strip().rpartition(":")
    if not colon or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{listen!r} is not host:port, e.g. 127.0.0.1:2525")
    return host.strip("[]") or "", int(port)


class RelayHandler:
    """aiosmtpd's handler: the relay's answers to RCPT and DATA."""

    def __init__(self, live: LiveServices) -> None:
        self.live = live

    @property
    def domain(self) -> str:
        return self.live.settings.mail_relay_domain

    async def handle_RCPT(self, _server, _session, envelope, address, _options) -> str:  # noqa: N802 (aiosmtpd's name)
        token = service.token_of(address, self.domain)
        if token is None:
            return UnknownReplyAddress().smtp_answer
        if envelope.rcpt_tos:
            return "452 4.5.3 One reply address per mail"
        try:
            await self.live.run_db(
                _check_sender,
                token=token,
                sender=envelope.mail_from,
                now=self.live.now(),
            )
        except RelayRefusal as refusal:
            log.info("mail relay: refused %s to %s: %s", envelope.mail_from, address, refusal)
            return refusal.smtp_answer
        setattr(envelope, TOKEN_ATTRIBUTE, token)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server, _session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        token = getattr(envelope, TOKEN_ATTRIBUTE, None)
        if token is None:
            return "554 5.5.1 No valid recipient"
        raw = envelope.original_content or envelope.content or b""
        message = email.message_from_bytes(raw, policy=email.policy.default)
        try:
            from_addresses = (
                [a.addr_spec for a in message["From"].addresses] if message["From"] else []
            )
        except (AttributeError, ValueError, IndexError):
            from_addresses = []
        mail_id = str(message["Message-ID"] or "") or hashlib.sha256(raw).hexdigest()
        settings = self.live.settings
        try:
            accepted = await self.live.run_db(
                _accept,
                token=token,
                envelope_sender=envelope.mail_from,
                from_addresses=from_addresses,
                reply=reply_of(message),
                mail_id=mail_id,
                now=self.live.now(),
                text_limit=settings.chat_message_max_chars,
                attachment_limit=settings.chat_attachment_max_bytes,
            )
        except RelayRefusal as refusal:
            log.info("mail relay: refused a reply from %s: %s", envelope.mail_from, refusal)
            return refusal.smtp_answer
        for snapshot in accepted.snapshots:
            await flows.publish_messages(self.live, snapshot)
        if accepted.snapshots and accepted.status_changed:
            await flows.publish_state(self.live, accepted.snapshots[-1])
        return "250 Added to the conversation"


def _from_addresses(message) -> list[str]:
    try:
        header = message["From"]
        return [address.addr_spec for address in header.addresses] if header else []
    except (AttributeError, ValueError, IndexError):  # a From no parser makes sense of
        return []


def _check_sender(*, db_session, **kwargs) -> int:
    try:
        return service.check_sender(db_session=db_session, **kwargs)
    except RelayRefusal:
        db_session.commit()  # the audit entry of a refused sender
        raise


def _accept(*, db_session, **kwargs) -> service.Accepted:
    """Commits the reply, or, refused, only the refusal's audit entry."""
    try:
        accepted = service.accept_reply(db_session=db_session, **kwargs)
    except RelayRefusal:
        db_session.commit()  # the audit entry of a refused sender; nothing else was added
        raise
    db_session.commit()
    return accepted


async def run(live: LiveServices) -> None:
    """Receives until cancelled (the server stopping); returns at once when another
    process holds the address, to try again at the job's next round."""
    host, port = parse_listen(live.settings.mail_relay_listen)
    handler = RelayHandler(live)
    loop = asyncio.get_running_loop()

    def protocol() -> SMTP:
        return SMTP(
            handler,
            data_size_limit=live.settings.mail_relay_max_bytes,
            enable_SMTPUTF8=True,
            hostname=live.settings.mail_relay_domain,
            ident="mail relay",
            loop=loop,
        )

    try:
        server = await loop.create_server(protocol, host or None, port)
    except OSError as error:
        # Usually another worker receiving; said once per worker, in case it is not.
        say = log.debug if live.worker_id in _told_taken else log.info
        _told_taken.add(live.worker_id)
        say("mail relay: %s:%s is taken (%s); trying again every few seconds", host, port, error)
        return
    log.info("mail relay: receiving replies on %s:%s", host or "*", port)
    try:
        await server.serve_forever()
    finally:
        server.close()
        await server.wait_closed()
