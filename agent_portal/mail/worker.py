"""The outbox's background job: sends what is due, one mail at a time, in a thread, and
records each outcome: sent, failed for now (tried again later) or refused for good.
Runs every few seconds beside the live channel's other jobs."""

from __future__ import annotations

import logging
from datetime import timedelta

from starlette.concurrency import run_in_threadpool

from agent_portal.mail import service
from agent_portal.mail.sender import MailError, MailRejected, MailSender, SmtpSender
from agent_portal.realtime.hub import LiveServices

log = logging.getLogger(__name__)


def make_sender(live: LiveServices) -> MailSender | None:
    if not live.settings.smtp_host:
        return None
    return SmtpSender.from_settings(live.settings)


async def send_due(live: LiveServices) -> None:
    sender = make_sender(live)
    if sender is None:
        return  # no mail server configured: the mails wait in the outbox
    emails = await live.run_db(service.due, now=live.now())
    for email in emails:
        try:
            await run_in_threadpool(
                sender.send, to_address=email.to_address, subject=email.subject, body=email.body
            )
        except MailError as error:
            failed = await live.run_db(
                service.mark_failed,
                email_id=email.id,
                error=str(error),
                now=live.now(),
                max_attempts=live.settings.smtp_max_attempts,
                retry_base=timedelta(seconds=live.settings.smtp_retry_seconds),
                permanent=isinstance(error, MailRejected),
            )
            log.warning(
                "e-mail %s to %s failed (attempt %d, %s): %s",
                email.id,
                email.to_address,
                failed.attempts,
                failed.status,
                error,
            )
            continue
        await live.run_db(service.mark_sent, email_id=email.id, now=live.now())
        log.info("e-mail %s sent to %s", email.id, email.to_address)
