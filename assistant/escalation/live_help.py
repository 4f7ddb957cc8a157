"""Live help for the desktop UI: one object that keeps the channel to the server and
offers chat and consent (of every kind; the assistant serves the report, and a screen view
and remote control through `assistant.escalation.screen_share`). Everything runs
on the caller's asyncio loop.

    help = LiveHelp(
        server_url=settings.server_url,
        device_key=DeviceKey.load_or_create(data_dir()),
        consent=ask_customer,            # (consent.Question) -> bool | None
        on_message=show_message,         # (conversation_id, MessageInfo), once each, in order
        on_state=show_status,            # (ConversationInfo): status, queue place, agent
        on_typing=show_typing,           # (conversation_id, typing)
        on_connection=show_connection,   # ("connecting" | "connected" | "disconnected"
                                         #  | "refused" | "closed")
        on_appointments=show_appointments,   # () the appointments or their notices changed
    )
    help.appointments.appointments()     # the customer's proposals and appointments
    await help.start()
    info = await help.start_chat("wifi", "My Wi-Fi drops every evening.")
    await help.send(info.id, "Since last week.")
    help.status_text(info)               # "You are number 2 in the queue." (in German too)
    await help.stop()
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable

from assistant.escalation import texts
from assistant.escalation.appointment_board import AppointmentBoard
from assistant.escalation.appointments import AppointmentsClient
from assistant.escalation.channel import Backoff, DeviceChannel
from assistant.escalation.chat import Attachment, ChatClient
from assistant.escalation.consent import Ask, ConsentResponder
from assistant.escalation.consent_record import read_consent_record
from assistant.escalation.paid_sessions import SessionClient
from assistant.escalation.remote_diagnostics import ReportKind
from assistant.escalation.screen_share import ScreenShare
from assistant.i18n import translator
from isp_common.live_wire import ConversationInfo, MessageInfo


class LiveHelp:
    def __init__(
        self,
        *,
        server_url: str,
        device_key,
        consent: Ask,
        on_message: Callable | None = None,
        on_state: Callable | None = None,
        on_typing: Callable | None = None,
        on_connection: Callable | None = None,
        on_consent_done: Callable | None = None,
        on_grants: Callable | None = None,
        on_session: Callable | None = None,
        on_appointments: Callable | None = None,
        run_checks: Callable | None = None,
        describe_checks: Callable | None = None,
        language: str | None = None,
        backoff: Backoff | None = None,
        retry_seconds: float = 5.0,
        screen: dict | None = None,
    ) -> None:
        """`screen`: the keyword arguments of `ScreenShare` (the engine, the privacy
        titles, the indicator's rectangle, `on_change`)."""
        self.channel = DeviceChannel(
            server_url=server_url, device_key=device_key, language=language, backoff=backoff
        )
        if on_connection is not None:
            self.channel.on_state(on_connection)
        self.chat = ChatClient(
            self.channel,
            on_message=on_message,
            on_state=on_state,
            on_typing=on_typing,
            retry_seconds=retry_seconds,
        )
        # Paid sessions: proposals, the meter, the summary; commands until answered.
        self.sessions = SessionClient(
            self.channel, on_change=on_session, retry_seconds=retry_seconds
        )
        extra = {"run": run_checks} if run_checks is not None else {}
        if describe_checks is not None:
            extra["describe"] = describe_checks
        self.consent = ConsentResponder(
            self.channel, ask=consent, on_done=on_consent_done, on_change=on_grants
        )
        self.consent.serve("report", ReportKind(self.channel, **extra))
        self._server_url = server_url
        self._device_key = device_key
        self.appointments = AppointmentBoard(
            self.channel, load=self._read_appointments, on_change=on_appointments
        )
        self.screen = ScreenShare(self.channel, **(screen or {}))
        self.consent.serve("screen_view", self.screen.view_kind)
        self.consent.serve("control", self.screen.control_kind)
        self._task: asyncio.Task | None = None
        self.language = language

    async def start(self, wait_seconds: float | None = None) -> bool:
        """Starts the channel; with `wait_seconds`, waits that long for the first
        connection and says whether it came."""
        if self._task is None or self._task.done():
            # The channel's handlers word things (e.g. what a report holds) in `language`.
            context = contextvars.copy_context()
            if self.language:
                context.run(translator.language.set, self.language)
            self._task = asyncio.create_task(
                self.channel.run(), name="live-help-channel", context=context
            )
        if wait_seconds is None:
            return self.channel.connected
        return await self.channel.wait_connected(wait_seconds)

    def _read_appointments(self):
        client = AppointmentsClient(self._server_url, self._device_key)
        try:
            return client.upcoming()
        finally:
            client.close()

    def read_consent_record(self):
        """The server's record of what the customer was asked, newest first (blocking)."""
        return read_consent_record(self._server_url, self._device_key)

    async def stop(self, reason: str = "assistant_closed") -> None:
        """Ends everything; a screen view first, at once (`reason` says why: the
        assistant closes, or the customer signed out)."""
        await self.screen.stop_all(reason)
        await self.chat.stop()
        await self.sessions.stop()
        await self.channel.close()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 5)
            except (TimeoutError, asyncio.CancelledError):
                self._task.cancel()

    @property
    def connection(self) -> str:
        return self.channel.state

    async def start_chat(self, topic: str, text: str, timeout: float | None = None):
        return await self.chat.start(topic, text, timeout=timeout)

    async def start_prechat(self, expert_id: int, text: str, timeout: float | None = None):
        return await self.chat.start_prechat(expert_id, text, timeout=timeout)

    async def send(
        self,
        conversation_id: int,
        text: str,
        attachment: Attachment | None = None,
        client_msg_id: str | None = None,
    ):
        return await self.chat.send(
            conversation_id, text, attachment=attachment, client_msg_id=client_msg_id
        )

    def messages(self, conversation_id: int) -> list[MessageInfo]:
        return self.chat.messages(conversation_id)

    def conversations(self) -> list[ConversationInfo]:
        return [known.info for known in self.chat.conversations.values()]

    def _worded(self, function, *args) -> str:
        """In `language` when one was given (the UI may change it), else the current one."""
        if not self.language:
            return function(*args)
        context = contextvars.copy_context()
        context.run(translator.language.set, self.language)
        return context.run(function, *args)

    def status_text(self, conversation: ConversationInfo) -> str:
        """Where the request stands, e.g. "You are number 2 in the queue."."""
        return self._worded(texts.status_text, conversation)

    def message_text(self, message: MessageInfo) -> str:
        """A message's text; system messages (handover, end) in words."""
        if message.sender != "system":
            return message.text
        return self._worded(texts.system_text, message)
