"""What expert search refuses (the JSON API's 422s), each with a stable code.

ApiError (agent_portal.api_errors, a PortalError)
├── PriceRangeInvalid   min_price above max_price
├── CursorInvalid       a cursor this search did not hand out
└── CategoryUnknown     no category with that number
"""

from __future__ import annotations

from agent_portal.api_errors import ApiError


class PriceRangeInvalid(ApiError):
    status_code = 422
    code = "price_range_invalid"

    def __init__(self, low: int, high: int) -> None:
        super().__init__(f"min_price ({low}) is above max_price ({high}).")


class CursorInvalid(ApiError):
    status_code = 422
    code = "cursor_invalid"

    def __init__(self) -> None:
        super().__init__("The cursor is not one this search handed out; start without one.")


class CategoryUnknown(ApiError):
    status_code = 422
    code = "category_unknown"

    def __init__(self, category_id: int) -> None:
        super().__init__(f"There is no category {category_id}.")
