"""What the provisioning API refuses, as JSON API errors (`agent_portal.api_errors`).

ApiError
└── CustomerNotFound   404  no customer with this account number
"""

from __future__ import annotations

from agent_portal.api_errors import ApiError, refusals
from isp_common.i18n import N_
from isp_common.premium_wire import ErrorCode


class CustomerNotFound(ApiError):
    status_code = 404
    code = ErrorCode.CUSTOMER_NOT_FOUND
    template = N_("No customer with account number %(account_number)s.")

    def __init__(self, account_number: str) -> None:
        super().__init__(account_number=account_number)


NOT_FOUND = refusals({404: "No customer with this account number"})
