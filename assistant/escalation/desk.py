"""Live help as the assistant's page sees it: one object between the page's local API and
`LiveHelp`, on the local server's event loop.

    desk = LiveDesk(premium=access, language=lambda: context.language,
                    run_checks=run_report, describe_checks=describe_report)
    await desk.sync()                      # at start, and whenever the link may change
    desk.view()                            # all the page shows, in the current language
    await desk.wait_for_change(version, timeout=15)
    await desk.start_chat("wifi", "My Wi-Fi drops every evening.")
    key = await desk.send(conversation_id, "It started last week.")
    desk.answer_consent(question_id, allowed=True)
    desk.answer_consent(view_question, allowed=True, choice="window", window_id=42)
    await desk.stop_grant(consent_id)      # the customer stops what they shared
    await desk.close()

Live help runs while this computer is linked to a customer account (its device key is
bound to the account then). The page stays on the customer's current conversation (the
one they started, or where something last happened) also when it ends, so the customer
reads that it ended; how a request for a report ended is shown until that conversation
ends or a new one starts. A message the customer writes shows at once as "sending" and
stays so until the server has stored it (across reconnects); a consent request of a kind
the assistant serves (a report) waits here as a question for the page's one consent
dialog until the customer answers, the server ends it, or the page is gone; what the
customer allowed is listed, each with a way to stop it, while it is in use.

A screen view is answered with a choice ("screen", or "window" with one of the windows
the dialog lists); the view and control are stopped here too (`stop_grant`), and with
them when the chat ends, the customer signs out or the assistant closes. Every request
and how it ended goes into the list of what was shared (`share_history`); the server's
record completes it at each connection and after each request ends.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.escalation import desk_view
from assistant.escalation.chat import Attachment
from assistant.escalation.consent import Answer, Grant, Question
from assistant.escalation.consent_record import ConsentRecordUnavailable
from assistant.escalation.desk_sharing import SharingDesk
from assistant.escalation.errors import LiveHelpError, MessageRefused, NotConnected, NotLinked
from assistant.escalation.live_help import LiveHelp
from assistant.escalation.share_history import ShareHistory
from isp_common.live_wire import ConversationInfo, Topic

log = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 20
TYPING_SHOWN_SECONDS = 8  # the agent's "is typing" fades if no word follows


@dataclass
class Outgoing:
    """A message on its way: shown as "sending" until stored, or with why it failed."""

    key: str
    conversation_id: int
    text: str
    filename: str | None = None
    error: LiveHelpError | None = None


@dataclass
class ConsentQuestion:
    id: str
    question: Question
    answer: asyncio.Future = field(repr=False)

    @property
    def agent_name(self) -> str:
        return self.question.requester_name


@dataclass
class ReportActivity:
    """The latest request for a report: running, or how it ended."""

    stage: str
    agent_name: str


class LiveDesk(SharingDesk):
    def __init__(
        self,
        *,
        premium,
        language: Callable[[], str],
        run_checks: Callable,
        describe_checks: Callable,
        make_help: Callable[..., LiveHelp] = LiveHelp,
        on_question: Callable[[], None] = lambda: None,
        history: ShareHistory | None = None,
        screen: Callable[[], dict] = dict,
        on_sharing: Callable[[bool], None] = lambda _sharing: None,
        indicator_title: Callable[[], str] = str,
    ) -> None:
        self.premium = premium  # PremiumAccess: whether linked, the server, the device key
        self.language = language
        self.run_checks = run_checks
        self.describe_checks = describe_checks
        self.make_help = make_help
        self.on_question = on_question  # a question for the customer appeared
        self.help: LiveHelp | None = None
        self.history = history or ShareHistory(None)
        self.screen_options = screen  # the ScreenShare's engine, privacy titles, masks
        self.on_sharing = on_sharing  # sharing began (True) or ended: the indicator
        self.indicator_title = indicator_title  # its window is in no list of windows
        self.notice: dict | None = None  # a request declined because it is not possible
        self._sharing = False
        self.outbox: dict[str, Outgoing] = {}
        self.questions: list[ConsentQuestion] = []
        self.activity: ReportActivity | None = None
        self.current: int | None = None  # the conversation the page shows unless told
        self.version = 0
        self.closed = False
        self._link: tuple[str, str] | None = None
        self._typing_until: dict[int, float] = {}
        self._announced: set[tuple[int, str]] = set()  # sessions' questions brought forward
        self._changed = asyncio.Event()
        self._sync_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task] = set()

    # --- starting and stopping ---------------------------------------------------------

    async def sync(self) -> None:
        """Starts live help when this computer is linked (to the server it is set to) and
        stops it when not; does nothing when that has not changed."""
        async with self._sync_lock:
            status = self.premium.service.status()
            server_url = self.premium.server_url
            wanted = (server_url, status.device_id) if status.linked and server_url else None
            if wanted == self._link:
                return
            await self._stop_help("signed_out")
            self._link = wanted
            if wanted is not None and not self.closed:
                self.help = self._new_help(server_url)
                self.help.channel.on_connected(self._read_record_soon)
                await self.help.start()
            self.changed()

    def _new_help(self, server_url: str) -> LiveHelp:
        return self.make_help(
            server_url=server_url,
            device_key=self.premium.service.device_key,
            consent=self._ask_consent,
            on_message=lambda _cid, _message: self.changed(),
            on_state=self._on_state,
            on_typing=self._on_typing,
            on_connection=lambda _state: self.changed(),
            on_consent_done=self._on_consent_done,
            on_grants=self.changed,
            on_session=self._on_session,
            on_appointments=self.changed,
            run_checks=self.run_checks,
            describe_checks=self.describe_checks,
            language=self.language(),
            screen={**self.screen_options(), "on_change": self._on_screen_change},
        )

    async def _stop_help(self, reason: str = "assistant_closed") -> None:
        help, self.help = self.help, None
        for task in list(self._tasks):
            task.cancel()
        for question in self.questions:
            if not question.answer.done():
                question.answer.set_result(None)
        self.outbox.clear()
        self._typing_until.clear()
        self.current = None
        if help is not None:
            await help.stop(reason)
        self._on_screen_change()

    async def close(self) -> None:
        self.closed = True
        await self._stop_help("assistant_closed")
        self.changed()

    def set_language(self, language: str) -> None:
        if self.help is not None:
            self.help.language = language

    # --- changes, for the page's event stream -------------------------------------------

    def changed(self) -> None:
        self.version += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for_change(self, version: int, timeout: float) -> bool:
        """True as soon as the view differs from `version`; False after `timeout`."""
        if self.version != version:
            return True
        try:
            await asyncio.wait_for(self._changed.wait(), timeout)
        except TimeoutError:
            return False
        return True

    # --- chat ------------------------------------------------------------------------

    def _require_help(self) -> LiveHelp:
        if self.help is None:
            raise NotLinked()
        return self.help

    async def start_chat(self, topic: Topic, text: str) -> ConversationInfo:
        help = self._require_help()
        if not help.channel.connected:
            raise NotConnected()
        help.chat.check_text(text)
        try:
            info = await help.start_chat(topic.value, text, timeout=START_TIMEOUT_SECONDS)
        except TimeoutError as err:
            raise NotConnected() from err
        self.current = info.id
        self._forget_finished_activity()
        self.changed()
        return info

    async def start_prechat(self, expert_id: int, text: str) -> ConversationInfo:
        """A free pre-chat with an expert (`assistant.escalation.experts` found them); it
        becomes the conversation the live help page shows. An expert who is not online
        gets it as an offline message, which the conversation says."""
        help = self._require_help()
        if not help.channel.connected:
            raise NotConnected()
        help.chat.check_text(text)
        try:
            info = await help.start_prechat(expert_id, text, timeout=START_TIMEOUT_SECONDS)
        except TimeoutError as err:
            raise NotConnected() from err
        self.current = info.id
        self._forget_finished_activity()
        self.changed()
        return info

    def _on_state(self, info: ConversationInfo) -> None:
        if info.status.value == "closed":
            # What became of a request for a report belongs to the chat that has ended.
            self._forget_finished_activity()
            self._stop_views_of(info.id)
        else:
            self.current = info.id
        self.changed()

    def _forget_finished_activity(self) -> None:
        if self.activity is not None and self.activity.stage != "running":
            self.activity = None

    async def send(
        self, conversation_id: int, text: str, attachment: Attachment | None = None
    ) -> str:
        """Queues the message and returns its key at once; it is sent (and sent again)
        until the server has it. Refuses at once what cannot go: nothing to send, a
        conversation that is over or unknown, a file over the server's limit."""
        help = self._require_help()
        text = text.strip()
        if not text and attachment is None:
            raise MessageRefused("empty_message")
        info = help.chat.conversation(conversation_id)
        if info is None:
            raise MessageRefused("not_found")
        if info.status.value == "closed":
            raise MessageRefused("closed")
        help.chat.check_text(text)
        if attachment is not None:
            help.chat.check_attachment(len(attachment.data))
        key = uuid.uuid4().hex
        self.outbox[key] = Outgoing(
            key, conversation_id, text, attachment.filename if attachment else None
        )
        self._in_background(self._deliver(help, key, conversation_id, text, attachment))
        self.changed()
        return key

    async def _deliver(self, help, key, conversation_id, text, attachment) -> None:
        try:
            await help.send(conversation_id, text, attachment=attachment, client_msg_id=key)
            self.outbox.pop(key, None)
        except LiveHelpError as error:
            if key in self.outbox:
                self.outbox[key].error = error
        finally:
            self.changed()

    def dismiss(self, key: str) -> bool:
        """Removes a message that could not be sent from the page."""
        outgoing = self.outbox.get(key)
        if outgoing is None or outgoing.error is None:
            return False
        del self.outbox[key]
        self.changed()
        return True

    async def typing(self, conversation_id: int, typing: bool) -> None:
        help = self._require_help()
        if help.channel.connected:
            await help.chat.typing(conversation_id, typing)

    async def answer_offer(self, conversation_id: int, offer_id: int, accepted: bool) -> None:
        """The customer's yes or no to an agent's offer of an expert. Refused (not_found)
        unless the offer is open in that conversation; on yes, the same conversation goes
        on with the expert."""
        help = self._require_help()
        offer = desk_view.open_offer(help.messages(conversation_id))
        if offer is None or offer["id"] != offer_id:
            raise MessageRefused("offer_closed")
        await help.chat.answer_offer(offer_id, accepted)

    async def close_chat(self, conversation_id: int) -> None:
        help = self._require_help()
        if help.chat.conversation(conversation_id) is None:
            raise MessageRefused("not_found")
        await help.chat.close_conversation(conversation_id)

    async def download(self, conversation_id: int, attachment_id: int):
        """(AttachmentInfo, bytes) of a file in the conversation."""
        help = self._require_help()
        found = next(
            (
                message.attachment
                for message in help.messages(conversation_id)
                if message.attachment and message.attachment.id == attachment_id
            ),
            None,
        )
        if found is None:
            raise MessageRefused("not_found")
        try:
            return found, await help.chat.download(conversation_id, attachment_id)
        except TimeoutError as err:
            raise NotConnected() from err

    def _on_typing(self, conversation_id: int, typing: bool) -> None:
        if typing:
            self._typing_until[conversation_id] = time.monotonic() + TYPING_SHOWN_SECONDS
        else:
            self._typing_until.pop(conversation_id, None)
        self.changed()

    # --- paid sessions ----------------------------------------------------------------------

    def _on_session(self) -> None:
        """A session changed: a proposal to confirm, or the expert's request to resume,
        is a question for the customer, so the window comes forward (once for each)."""
        self.changed()
        if self.help is None:
            return
        asking = set()
        for session in self.help.sessions.sessions.values():
            meter = session.meter
            if session.status.value == "proposed":
                asking.add((session.session_id, "confirm"))
            elif meter is not None and meter.resume_requested and meter.status.value == "paused":
                asking.add((session.session_id, "resume"))
        new, self._announced = asking - self._announced, asking
        if new:
            try:
                self.on_question()
            except Exception:  # the panel is on the page either way
                log.exception("could not bring the window forward")

    # --- consent ------------------------------------------------------------------------

    async def _ask_consent(self, question: Question) -> Answer | bool | None:
        self.history.asked(question)
        asked = ConsentQuestion(
            uuid.uuid4().hex, question, asyncio.get_running_loop().create_future()
        )
        self.questions.append(asked)
        self.changed()
        try:
            self.on_question()
        except Exception:  # the dialog is on the page either way
            log.exception("could not bring the window forward")
        try:
            answer = await asked.answer
        finally:
            # Answered, or ended by the server (cancelled): the dialog closes either way.
            self.questions.remove(asked)
            self.changed()
        allowed = answer.granted if isinstance(answer, Answer) else answer
        if allowed is not None:
            choice = answer.choice if isinstance(answer, Answer) else None
            self.history.answered(question.consent_id, "granted" if allowed else "declined", choice)
        if allowed and question.kind == "report":
            self.activity = ReportActivity("running", question.requester_name)
        return answer

    def answer_consent(
        self,
        question_id: str,
        allowed: bool,
        choice: str | None = None,
        window_id: object = None,
    ) -> bool:
        """The customer's answer; False when that question is no longer open. A screen
        view is allowed with a choice: "screen", or "window" with the id of one of the
        windows the dialog lists (ValueError otherwise, and the question stays open)."""
        for asked in self.questions:
            if asked.id != question_id or asked.answer.done():
                continue
            if allowed and asked.question.kind == "screen_view":
                if choice not in ("screen", "window"):
                    raise ValueError("choice")
                detail = {}
                if choice == "window":
                    windows = self.help.screen.windows() if self.help else []
                    if not any(str(w.id) == str(window_id) for w in windows):
                        raise ValueError("window_id")
                    detail = {"window_id": window_id}
                asked.answer.set_result(Answer(True, choice, detail))
                return True
            asked.answer.set_result(bool(allowed))
            return True
        return False

    def grants(self) -> list[Grant]:
        """What the customer shares now, and with whom."""
        return self.help.consent.grants() if self.help is not None else []

    async def stop_grant(self, consent_id: str) -> bool:
        """The customer stops what they allowed; False when it is no longer in use."""
        if self.help is None:
            return False
        stopped = await self.help.consent.revoke(consent_id)
        self.changed()
        return stopped

    def _on_consent_done(self, question: Question, outcome: str) -> None:
        self.history.asked(question)
        self.history.ended(question.consent_id, outcome)
        if outcome.startswith("unavailable:") and question.kind == "screen_view":
            self.notice = {
                "reason": outcome.split(":", 1)[1],
                "who": question.requester_name,
                "role": question.requester_role,
            }
        if question.kind == "report":
            self.activity = ReportActivity(outcome, question.requester_name)
        self.changed()
        self._read_record_soon()

    def _read_record_soon(self) -> None:
        if self.help is not None:
            self._in_background(self._read_record(self.help))

    async def _read_record(self, help: LiveHelp) -> None:
        """Completes the list of what was shared from the server's record."""
        try:
            record = await asyncio.to_thread(help.read_consent_record)
        except ConsentRecordUnavailable as error:  # offline, or an older server
            log.info("the server's record of what was shared is not read: %s", error)
            return
        if help is self.help and self.history.merge(record, help.channel.device_key.device_id):
            self.changed()

    # --- what the page shows -------------------------------------------------------------

    def view(self) -> dict:
        return desk_view.page_view(self)

    def _in_background(self, coroutine) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
