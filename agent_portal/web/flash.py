"""What a portal form has to say, carried to the page it redirects to (a "flash").

Post/redirect/get: every portal form that changes something answers 303 See Other to a
GET page, never with a page of its own. A reload then repeats nothing, the back button
offers no form to send again, and the address bar holds a page the language switch can
load again. The outcome travels to that page as a flash:

    from agent_portal.auth.deps import FlashDep
    from agent_portal.web.flash import N_

    @router.post("/{account_number}/devices/{device_id}/unlink", dependencies=[...])
    def unlink_device(..., flash: FlashDep):
        ...
        page = customer_path(customer.account_number)
        flash.notice(page, N_("“%(name)s” has been unlinked."), name=device.name)
        return flash.redirect(page)

A notice needs nothing on the page: `render()` shows the notices waiting for the page it
draws, translated then (so the page's language decides, and the text is marked with N_).
A page that shows something of its own asks for it: `flash.take(page).kept["unlock_code"]`
(newest first). Three kinds of entry, each for one page (a path, no query):

- `notice(page, text, **params)`: a sentence, shown by the page's next GET, then gone.
- `once(page, kind, data)`: data shown by the next GET, then gone (a new API key: a
  lasting credential is shown once; who missed it revokes it and makes another).
- `keep(page, kind, data, until=)`: data shown on every GET of the page until `until`
  (a one-time code the agent reads out on the phone: a reload must not lose it). The
  page decides whether it still applies (a used or revoked code is not shown).

An entry belongs to the portal session that sent the form: a colleague on the same page
sees none of it, and it ends with the session (logout, expiry). Entries live in the
database, so any worker serves the next GET, sealed (AES-GCM) with a key derived from the
session's cookie token, which the database does not keep: a copy of the database reveals
no code or key waiting there. Nothing of it is ever put in a URL.

Where the outcome is one fixed sentence, redirecting to `page?done=<word>` that the page
maps to its text does as well, and survives a reload (the knowledge base does that). Never
a secret in a URL, nor text a forged link could put on the page.

A form refused for bad input has changed nothing: it may answer with its page, a 4xx and
the reason, drawn with `render(..., page_url=<the page's GET address>)`, so that the
language switch leads to the page and not to the form's POST address.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from fastapi.responses import RedirectResponse
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from agent_portal.database import utcnow
from agent_portal.i18n import translator
from agent_portal.web.models import PortalFlash

# Importers take N_ from here, beside the texts of this domain.
from isp_common.i18n import N_ as N_

# Long enough to survive a slow page load or a detour; short enough to be forgotten.
NOTICE_LIFETIME = timedelta(minutes=10)
NOTICE = "notice"
_NONCE_BYTES = 12


def see_other(url: str, *, fragment: str = "") -> RedirectResponse:
    """The answer of a form that did its work: 303, so the browser GETs `url`."""
    return RedirectResponse(f"{url}#{fragment}" if fragment else url, status_code=303)


@dataclass(frozen=True)
class Shown:
    """What waits for one page: notices (translated when read) and kept data by kind."""

    _notices: list[tuple[str, Mapping[str, Any]]] = field(default_factory=list)
    kept: Mapping[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def notices(self) -> list[str]:
        return [
            translator.gettext(text) % params if params else translator.gettext(text)
            for text, params in self._notices
        ]


class Flash:
    """The flash of one portal session, within one request (`request.state.flash`, made
    when the session is loaded; routes take it as `FlashDep`).

    One-time entries go to a page load only (`page_load`: the browser loads a document,
    not a script fetching the page in the background to redraw a part of it; such a
    fetch may run while the form is sent, and must not take what the form left)."""

    def __init__(
        self,
        *,
        db_session: Session,
        portal_session_id: int,
        session_token: str,
        page_load: bool = True,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db_session = db_session
        self.portal_session_id = portal_session_id
        self.page_load = page_load
        self.clock = clock
        self._aead = AESGCM(_key_of(session_token))
        self._taken: dict[str, Shown] = {}
        self._pending: list[PortalFlash] = []

    def notice(self, page: str, text: str, **params: Any) -> None:
        self._add(page, {"kind": NOTICE, "text": text, "params": params}, once=True)

    def once(self, page: str, kind: str, data: Mapping[str, Any]) -> None:
        self._add(page, {"kind": kind, "data": dict(data)}, once=True)

    def keep(self, page: str, kind: str, data: Mapping[str, Any], *, until: datetime) -> None:
        self._add(page, {"kind": kind, "data": dict(data)}, once=False, until=until)

    def redirect(self, page: str, *, fragment: str = "") -> RedirectResponse:
        """Stores what was added and answers 303 to `page`."""
        if self._pending:
            # Whatever nobody came back for is of no use; clearing it here keeps the
            # table small.
            now = self.clock()
            self.db_session.execute(delete(PortalFlash).where(PortalFlash.show_until <= now))
            self.db_session.add_all(self._pending)
            self._pending = []
            self.db_session.commit()
        return see_other(page, fragment=fragment)

    def take(self, page: str) -> Shown:
        """What waits for `page`; one-time entries are gone afterwards. The same page asked
        again within the request gets the same answer."""
        if page not in self._taken:
            self._taken[page] = self._load(page)
        return self._taken[page]

    def _add(self, page: str, content: dict, *, once: bool, until: datetime | None = None) -> None:
        # Written by `redirect` in one short transaction: on SQLite a write holds the one
        # writer's lock until its commit.
        now = self.clock()
        self._pending.append(
            PortalFlash(
                portal_session_id=self.portal_session_id,
                page=page,
                sealed=self._seal(page, content),
                created_at=now,
                show_until=until or now + NOTICE_LIFETIME,
                once=once,
            )
        )

    def _load(self, page: str) -> Shown:
        now = self.clock()
        rows = self.db_session.scalars(
            select(PortalFlash)
            .where(
                PortalFlash.portal_session_id == self.portal_session_id,
                PortalFlash.page == page,
            )
            .order_by(PortalFlash.id.desc())
        ).all()
        notices: list[tuple[str, Mapping[str, Any]]] = []
        kept: dict[str, list[dict[str, Any]]] = {}
        done = []
        for row in rows:
            if row.once and not self.page_load:
                continue  # left for the page the browser is about to load
            content = self._open(page, row.sealed) if row.show_until > now else None
            if content is None or row.once:
                done.append(row.id)
            if content is None:
                continue
            if content["kind"] == NOTICE:
                notices.append((content["text"], content["params"]))
            else:
                kept.setdefault(content["kind"], []).append(content["data"])
        if done:
            self.db_session.execute(delete(PortalFlash).where(PortalFlash.id.in_(done)))
            self.db_session.commit()
        notices.reverse()  # in the order they were said
        return Shown(notices, kept)

    def _seal(self, page: str, content: dict) -> bytes:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        plain = json.dumps(content, ensure_ascii=False).encode()
        return nonce + self._aead.encrypt(nonce, plain, page.encode())

    def _open(self, page: str, sealed: bytes) -> dict | None:
        try:
            plain = self._aead.decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], page.encode())
        except (InvalidTag, ValueError):
            return None
        return json.loads(plain)


def _key_of(session_token: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"portal flash").derive(
        session_token.encode()
    )
