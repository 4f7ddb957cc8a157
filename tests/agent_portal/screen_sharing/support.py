"""What the screen sharing tests share: a hotline chat and an expert's pre-chat to ask in,
pictures as the customer's side encodes them (real JPEGs), the customer's device as
the assistant's own live channel (`tests.support.relay.DeviceSide`) that also hears the
consent requests and the viewer's pulls and input, and what the viewer's canvas shows."""

from __future__ import annotations

import io
import time
import uuid
from datetime import timedelta

from PIL import Image

from agent_portal.auth.models import StaffMember
from agent_portal.chat import routing
from agent_portal.chat import service as chat_service
from agent_portal.database import utcnow
from agent_portal.expert_desk import service as expert_desk
from isp_common.binary_frames import BinaryFrame
from isp_common.consent_wire import ConsentAnswerFrame, ConsentRevokeFrame
from isp_common.live_wire import Topic
from isp_common.screen_wire import (
    SCREEN_UPDATE,
    Encoding,
    Rect,
    ScreenStatus,
    ScreenUpdate,
    encode_update,
)
from tests.agent_portal.expert_desk.support import approved_expert
from tests.support.relay import DeviceSide

WIDTH, HEIGHT = 320, 200
RED_SQUARE = (40, 60, 80, 80)  # x, y, width, height of the red square on white


def hotline_chat(world, customer, device, agent) -> int:
    """A live hotline chat of the customer, from the device, with `agent`."""
    now = utcnow()
    with world.session() as db_session:
        conversation = chat_service.start_conversation(
            db_session=db_session,
            customer_id=customer.id,
            device_id=device.id,
            topic=Topic.wifi,
            client_msg_id=uuid.uuid4().hex,
            text="Mein WLAN bricht abends ab.",
            now=now,
        ).conversation
        member = db_session.get(StaffMember, agent.id)
        routing.assign(db_session=db_session, conversation=conversation, agent=member, now=now)
        db_session.commit()
        return conversation.id


def expert_prechat(world, customer, device, username="eva.experte") -> tuple[int, object]:
    """A pre-chat of the customer with an approved expert: (conversation id, the expert)."""
    expert = approved_expert(world, username, "Eva Experte")
    with world.session() as db_session:
        prechat = expert_desk.start_prechat(
            db_session=db_session,
            customer_id=customer.id,
            device_id=device.id,
            expert_id=expert.expert_id,
            client_msg_id=uuid.uuid4().hex,
            text="Mein NAS ist weg.",
            now=utcnow(),
            away_after=timedelta(minutes=5),
        )
        db_session.commit()
        return prechat.conversation.id, expert.staff


def jpeg(width: int, height: int, paint=None, quality: int = 90) -> bytes:
    image = Image.new("RGB", (width, height), (255, 255, 255))
    if paint is not None:
        paint(image)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def red_square_keyframe(frame: int = 1, cursor=(-1, -1)) -> bytes:
    """The whole picture: white with a red square, as one JPEG rectangle."""
    x, y, w, h = RED_SQUARE

    def paint(image):
        image.paste((220, 0, 0), (x, y, x + w, y + h))

    return encode_update(
        ScreenUpdate(
            frame=frame,
            captured_at_ms=int(time.time() * 1000),
            width=WIDTH,
            height=HEIGHT,
            cursor=cursor,
            keyframe=True,
            rects=[Rect(Encoding.jpeg, 0, 0, WIDTH, HEIGHT, data=jpeg(WIDTH, HEIGHT, paint))],
        )
    )


def blue_band_update(frame: int) -> bytes:
    """A change: a blue band along the top (SOLID)."""
    return encode_update(
        ScreenUpdate(
            frame=frame,
            captured_at_ms=int(time.time() * 1000),
            width=WIDTH,
            height=HEIGHT,
            rects=[Rect(Encoding.solid, 0, 0, WIDTH, 20, colour=(0, 0, 230))],
        )
    )


class ScreenDevice(DeviceSide):
    """The customer's device: the assistant's live channel, hearing consent requests and
    closings, the viewer's pulls and input besides the relay news."""

    def __init__(self, server_url: str, key) -> None:
        super().__init__(server_url, key, binary_kind=SCREEN_UPDATE)
        for frame_type in ("consent.request", "consent.closed", "screen.pull", "screen.input"):
            self.channel.on(frame_type, self.events.append)

    def send_json(self, frame) -> None:
        assert self.call(self.channel.send(frame)), "the channel was not connected"

    def grant(self, consent_id: str, choice: str | None = "screen") -> None:
        self.send_json(ConsentAnswerFrame(consent_id=consent_id, granted=True, choice=choice))

    def refuse(self, consent_id: str) -> None:
        self.send_json(ConsentAnswerFrame(consent_id=consent_id, granted=False))

    def revoke(self, consent_id: str) -> None:
        self.send_json(ConsentRevokeFrame(consent_id=consent_id))

    def status(self, consent_id: str, state: str, **fields) -> None:
        self.send_json(ScreenStatus(consent_id=consent_id, state=state, **fields))

    def stream_for(self, consent_id: str, timeout: float = 15) -> int:
        """The newest stream the server opened for the view's picture (role send)."""
        opened = self.event("relay.opened", timeout, purpose=f"screen-view:{consent_id}")
        return [
            e.stream_id
            for e in self.events
            if e.type == "relay.opened" and e.purpose == f"screen-view:{consent_id}"
        ][-1] or opened.stream_id

    def send_update(self, stream_id: int, payload: bytes, seq: int) -> None:
        self.send(BinaryFrame(SCREEN_UPDATE, stream_id, seq, payload))


def pixel(page, x: int, y: int) -> tuple[int, int, int]:
    """The viewer canvas' colour at a point of the customer's screen."""
    return tuple(
        page.evaluate(
            """([x, y]) => Array.from(document.getElementById("screen-canvas")
                .getContext("2d").getImageData(x, y, 1, 1).data.slice(0, 3))""",
            [x, y],
        )
    )


def brightest(page, area: tuple[int, int, int, int]) -> int:
    """The brightest channel of any pixel within the area of the canvas."""
    return page.evaluate(
        """([x, y, w, h]) => document.getElementById("screen-canvas").getContext("2d")
            .getImageData(x, y, w, h).data
            .reduce((most, v, i) => (i % 4 === 3 ? most : Math.max(most, v)), 0)""",
        list(area),
    )
