"""`/portal/admin/audit`: the audit log for admins, newest first, 50 entries a page, and
optionally one customer's entries only (`?account=1000002`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from agent_portal import domains
from agent_portal.audit import service
from agent_portal.audit.models import AuditEntry
from agent_portal.auth.deps import require_staff
from agent_portal.auth.errors import N_
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.i18n import _, translator
from agent_portal.params import PageNumber
from agent_portal.web.templating import render
from isp_common import formatting

router = APIRouter(
    prefix="/portal/admin/audit",
    tags=["admin"],
    dependencies=[require_staff("admin")],
    include_in_schema=False,
)

REASONS = {
    "wrong": N_("wrong code"),
    "used": N_("used before"),
    "revoked": N_("revoked"),
    "expired": N_("expired"),
    "device_limit_reached": N_("device limit reached"),
    "device_linked_elsewhere": N_("linked to another customer"),
}
ACTOR_KINDS = {
    "staff": N_("Staff"),
    "device": N_("Customer's device"),
    "customer": N_("Customer"),
    "api_key": N_("API key"),
    "system": N_("System"),
    "anonymous": N_("Not logged in"),
}


class _Values(dict):
    """An entry's data for a text: a value an older entry lacks shows as a dash."""

    def __missing__(self, _name: str) -> str:
        return "–"


class EntryTexts:
    def __init__(self, time_zone: str, device_names: dict[str, str]) -> None:
        self.zone = time_zone
        self.locale = translator.language.get()
        self.device_names = device_names

    def moment(self, entry: AuditEntry) -> str:
        # To the second: the log is where the order of close events matters.
        return formatting.moment(
            entry.occurred_at, locale=self.locale, zone=self.zone, seconds=True
        )

    def what(self, entry: AuditEntry) -> str:
        # Each domain words its own events (`Domain.audit_events`).
        text = domains.audit_event_texts().get(entry.event)
        if text is None:
            return entry.event
        values = _Values({name: value for name, value in entry.data.items() if value is not None})
        if "reason" in values:
            values["reason"] = _(REASONS.get(values["reason"], values["reason"]))
        return _(text) % values

    def note(self, entry: AuditEntry) -> str:
        note = domains.audit_event_notes().get(entry.event)
        return note(entry) if note is not None else ""

    def device(self, entry: AuditEntry) -> str:
        """The device's name, as recorded then or known now; its id is shown beside it."""
        name = service.recorded_device_name(entry) or self.device_names.get(entry.device_id)
        return name or _("Unknown device")

    def actor(self, entry: AuditEntry) -> str:
        kind = _(ACTOR_KINDS.get(entry.actor_kind, entry.actor_kind))
        return f"{entry.actor_name} ({kind})" if entry.actor_name else kind


@router.get("", response_class=HTMLResponse)
def audit_log(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    page: PageNumber = 1,
    account: str = "",
) -> HTMLResponse:
    account = account.strip().upper()
    result = service.page(db_session=db_session, number=page, account_number=account or None)
    return render(
        request,
        "audit/audit.html",
        result=result,
        account=account,
        texts=EntryTexts(
            settings.time_zone,
            service.device_names(db_session=db_session, entries=result.entries),
        ),
    )
