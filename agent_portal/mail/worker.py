"""The outbox's background job: claims what is due, sends it one mail at a time, in a
thread, and records each outcome: sent, failed for now (tried again later) or refused for
good. Runs every few seconds beside the live channel's other jobs, in one worker of the
installation at a time (a lease); the claims keep each mail with one worker even when two
rounds overlap."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from starlette.concurrency import run_in_threadpool

from agent_portal.mail import service
from agent_portal.mail.models import OutboundEmail
from agent_portal.mail.sender import MailError, MailRejected, MailSender, SmtpSender
from agent_portal.realtime.hub import LiveServices
from agent_portal.unit_of_work import committed

log = logging.getLogger(__name__)


def make_sender(live: LiveServices) -> MailSender | None:
    if not live.settings.smtp_host:
        return None
    return SmtpSender.from_settings(live.settings)


async def send_due(live: LiveServices) -> None:
    sender = make_sender(live)
    if sender is None:
        return  # no mail server configured: the mails wait in the outbox
    claim_id = uuid.uuid4().hex
    claimed_at = live.now()
    emails = await live.run_db(committed(service.claim_due), now=claimed_at, claim_id=claim_id)
    try:
        for email in emails:
            if live.now() - claimed_at > service.CLAIM_TIME / 2:
                break  # a send begun now might outlast the claim: the rest go back
            await _send(live, sender, email, claim_id)
    finally:
        if emails:
            await live.run_db(committed(service.release_claim), claim_id=claim_id, now=live.now())


async def _send(live: LiveServices, sender: MailSender, email: OutboundEmail, claim_id: str):
    extra = {"calendar": email.calendar} if email.calendar else {}
    if email.attachment is not None and email.attachment_name:
        extra["attachment"] = service.Attachment(
            email.attachment_name,
            email.attachment_type or "application/octet-stream",
            email.attachment,
        )
    try:
        await run_in_threadpool(
            sender.send,
            to_address=email.to_address,
            subject=email.subject,
            body=email.body,
            from_name=email.from_name,
            reply_to=email.reply_to,
            **extra,
        )
    except MailError as error:
        failed = await live.run_db(
            committed(service.mark_failed),
            email_id=email.id,
            claim_id=claim_id,
            error=str(error),
            now=live.now(),
            max_attempts=live.settings.smtp_max_attempts,
            retry_base=timedelta(seconds=live.settings.smtp_retry_seconds),
            permanent=isinstance(error, MailRejected),
        )
        if failed is None:
            log.warning(
                "e-mail %s to %s failed; another worker has it now", email.id, email.to_address
            )
            return
        log.warning(
            "e-mail %s to %s failed (attempt %d, %s): %s",
            email.id,
            email.to_address,
            failed.attempts,
            failed.status,
            error,
        )
        return
    if await live.run_db(committed(service.mark_sent), email_id=email.id, now=live.now()):
        log.info("e-mail %s sent to %s", email.id, email.to_address)
    else:  # its claim ran out during the send, and another worker sent it as well
        log.warning("e-mail %s to %s was sent twice", email.id, email.to_address)
