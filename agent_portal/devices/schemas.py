"""Bodies of the provisioning routes for customers' sign-in credentials. (The assistant's
wire formats are shared with it in `isp_common.premium_wire`.)"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class PasswordIn(BaseModel):
    """`PUT /api/v1/provisioning/customers/{account_number}/password`. Write-only: the
    password is never answered or shown."""

    model_config = ConfigDict(extra="forbid")

    password: str = Field(description="at least 8 characters; the customer signs in with it")


class ActivationCodeOut(BaseModel):
    code: str = Field(description="for the customer, e.g. in a letter; shown only this once")
    expires_at: datetime
