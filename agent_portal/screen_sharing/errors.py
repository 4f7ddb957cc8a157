"""What screen sharing refuses; on the staff channel each becomes an error frame naming
the consent (`request_id`), in the tab's language; on a portal page, the page's error.

ScreenError (a LiveError)
├── NotTheViewer        code forbidden: the sender did not ask for this screen view (or
│                       there is no such view): only its asker sees it and pulls it
├── ViewNotActive       code view_not_active: the customer does not allow the view (now)
├── ControlNotGranted   code control_not_granted: input without control granted for the
│                       view, by its asker
├── NoActiveView        code no_active_view: control asked without a granted view
└── CannotAsk           code cannot_ask: the conversation is closed, has no device, or
                        the device is offline
"""

from __future__ import annotations

from agent_portal.realtime.errors import LiveError

# Importers take N_ from here, beside the texts of this domain.
from isp_common.i18n import N_ as N_


class ScreenError(LiveError):
    status_code = 409
    code = "screen_error"
    template = N_("The screen view cannot do this.")

    def __init__(self, template: str | None = None, /, *, consent_id: str | None = None, **kw):
        self.consent_id = consent_id
        super().__init__(template, request_id=consent_id, **kw)


class NotTheViewer(ScreenError):
    status_code = 403
    code = "forbidden"
    template = N_("Only the staff member who asked to see this screen may view or control it.")


class ViewNotActive(ScreenError):
    code = "view_not_active"
    template = N_("The customer does not allow this screen view (any more).")


class ControlNotGranted(ScreenError):
    status_code = 403
    code = "control_not_granted"
    template = N_(
        "The customer has not allowed remote control of this screen view: input is not passed on."
    )


class NoActiveView(ScreenError):
    code = "no_active_view"
    template = N_(
        "Remote control can only be asked for while the customer lets you see the screen."
    )


class CannotAsk(ScreenError):
    code = "cannot_ask"
