"""`/portal/admin/audit`: the audit log for admins, newest first, 50 entries a page, and
optionally one customer's entries only (`?account=1000002`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from agent_portal import domains
from agent_portal.audit import service
from agent_portal.audit.models import AuditEntry
from agent_portal.audit.service import Event
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

EVENT_TEXTS = {
    Event.DEVICE_LINKED: N_("Device “%(device_name)s” linked"),
    Event.DEVICE_LINK_REFUSED: N_("Device link refused (%(reason)s)"),
    Event.DEVICE_UNLINKED: N_("Device “%(device_name)s” unlinked"),
    Event.DEVICE_RELEASED: N_("Device “%(device_name)s” released for “%(for_device_name)s”"),
    Event.SIGN_IN_FAILED: N_("Failed sign-in in the assistant"),
    Event.SIGN_IN_LOCKED: N_("Sign-in locked after failed attempts"),
    Event.PASSWORD_SET: N_("Sign-in password set"),
    Event.ACTIVATION_CODE_CREATED: N_("Activation code created"),
    Event.UNLOCK_CODE_ISSUED: N_("Unlock code #%(code_id)s issued"),
    Event.UNLOCK_CODE_REVOKED: N_("Unlock code #%(code_id)s revoked"),
    Event.UNLOCK_CODE_REDEEMED: N_("Unlock code #%(code_id)s used (issued by %(issued_by)s)"),
    Event.UNLOCK_CODE_FAILED: N_("Unlock code refused (%(reason)s)"),
    Event.UNLOCK_LOCKED: N_("Unlocking locked after wrong codes"),
    Event.OFFLINE_CODE_SHOWN: N_("Offline code for “%(device_name)s” shown"),
    Event.OFFLINE_CODE_USED: N_("Offline code used on the device"),
    Event.STAFF_LOGIN_FAILED: N_("Failed portal login as “%(username)s”"),
    Event.STAFF_LOGIN_LOCKED: N_(
        "Portal login locked after failed attempts, the last as “%(username)s”"
    ),
    Event.STAFF_CREATED: N_("Staff account “%(username)s” created as %(role)s"),
    Event.STAFF_RENAMED: N_("Staff account “%(username)s” renamed to “%(display_name)s”"),
    Event.STAFF_ROLE_CHANGED: N_("Role of “%(username)s” changed from %(old_role)s to %(role)s"),
    Event.STAFF_TOPICS_CHANGED: N_("Chat topics of “%(username)s” changed"),
    Event.STAFF_DEACTIVATED: N_("Staff account “%(username)s” deactivated"),
    Event.STAFF_REACTIVATED: N_("Staff account “%(username)s” reactivated"),
    Event.STAFF_PASSWORD_RESET: N_("New initial password for “%(username)s”"),
    Event.STAFF_PASSWORD_CHANGED: N_("“%(username)s” chose a new password"),
}
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
        # The events of this module, and those other domains register (`Domain.audit_events`).
        text = EVENT_TEXTS.get(entry.event) or domains.audit_event_texts().get(entry.event)
        if text is None:
            return entry.event
        values = _Values({name: value for name, value in entry.data.items() if value is not None})
        if "reason" in values:
            values["reason"] = _(REASONS.get(values["reason"], values["reason"]))
        return _(text) % values

    def note(self, entry: AuditEntry) -> str:
        if entry.event == Event.OFFLINE_CODE_USED and not entry.data.get("shown_by"):
            return _("No agent was shown this code.")
        if entry.event == Event.OFFLINE_CODE_USED:
            return _("Shown by %(name)s") % {"name": entry.data["shown_by"]}
        return ""

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
