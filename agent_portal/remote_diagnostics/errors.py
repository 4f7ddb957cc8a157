"""What the device's side of remote diagnostics can refuse; on the device channel each
becomes an error frame naming the request (`request_id`), in the customer's language.

RequestProblem (a LiveError)   the device's answer or report does not fit the request:
                               code not_found, request_<status> (over, not allowed),
                               report_too_large, report_invalid
"""

from __future__ import annotations

from agent_portal.realtime.errors import LiveError

# Importers take N_ from here, beside the texts of this domain.
from isp_common.i18n import N_ as N_


class RequestProblem(LiveError):
    """The device's answer or report does not fit the request (unknown, over, not allowed)."""

    status_code = 409
    template = N_("This diagnostics request cannot take this.")
