"""The outbox with several workers at once, against a real SMTP server on 127.0.0.1: rounds
of two workers running together hand each due mail to the server once, and the mails a
worker claimed and never sent (it died) go out through another once its claim runs out."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from agent_portal.database import utcnow
from agent_portal.live import build_live
from agent_portal.mail import service
from agent_portal.mail.models import OutboundEmail
from agent_portal.mail.worker import send_due
from tests.support.mailbox import smtp_server

MAILS = 30


def queue_mails(world, count: int) -> None:
    with world.session() as db_session:
        for number in range(count):
            service.enqueue(
                db_session=db_session,
                to_address=f"customer{number}@example.de",
                subject=f"Mail {number}",
                body="Your question was answered.",
                now=utcnow(),
            )
        db_session.commit()


def run(coroutine):
    """On a thread of its own: a browser test before may have left a loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def subjects(mailbox) -> list[str]:
    return sorted(message["Subject"] for message in mailbox.messages)


def test_rounds_of_two_workers_at_once_send_each_mail_once(settings, world):
    with smtp_server() as (mailbox, port):
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        queue_mails(world, MAILS)

        async def rounds() -> None:
            workers = [build_live(settings), build_live(settings)]
            try:
                for _round in range(4):  # a round takes at most 20: two are needed
                    await asyncio.gather(*(send_due(worker) for worker in workers))
            finally:
                for worker in workers:
                    await worker.stop()

        run(rounds())
        received = subjects(mailbox)
    assert received == sorted(f"Mail {number}" for number in range(MAILS))
    rows = world.rows(OutboundEmail)
    assert {(row.status, row.attempts) for row in rows} == {("sent", 1)}


def test_mails_a_dead_worker_claimed_go_out_once_its_claim_runs_out(settings, world):
    with smtp_server() as (mailbox, port):
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        queue_mails(world, 3)
        claimed_at = utcnow()
        with world.session() as db_session:  # a worker claims them, then dies before sending
            claimed = service.claim_due(db_session=db_session, now=claimed_at, claim_id="dead")
            db_session.commit()
        assert len(claimed) == 3

        def round_at(moment) -> None:
            async def once() -> None:
                worker = build_live(settings, clock=lambda: moment)
                try:
                    await send_due(worker)
                finally:
                    await worker.stop()

            run(once())

        round_at(claimed_at + timedelta(seconds=1))
        assert mailbox.messages == []  # still claimed: the other worker leaves them
        round_at(claimed_at + service.CLAIM_TIME + timedelta(seconds=1))
        received = subjects(mailbox)
    assert received == ["Mail 0", "Mail 1", "Mail 2"]
    assert {row.status for row in world.rows(OutboundEmail)} == {"sent"}
