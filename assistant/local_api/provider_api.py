"""The local API of the provider profile, and its refresh in the background.

    GET /api/provider
        {"from_provider": bool, "name": str | null, "hotline_phone": str | null,
         "hotline_href": "tel:..." | null, "summary": sentence, "problem": sentence | null,
         "checks": {check_id: {"source": "provider" | "computer" | "default",
                               "text": "Test addresses: 1.1.1.1:443, ... (source)"}}}

In the assistant's current language. The page shows `summary` under the overall result,
the hotline's number where it tells the customer to call, and each check's `text` in the
check's details, so the customer (and the hotline) can see what was tested and whose
values those were.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re

from fastapi import APIRouter, Request

from assistant import formats
from assistant.diagnostics.settings import DiagnosticsSettings
from assistant.i18n import _
from assistant.local_api.context import AssistantContext
from assistant.premium.refresh_schedule import RefreshSchedule
from assistant.provider.overlay import PROFILE_VALUES, ValueSource
from assistant.provider.service import ProfileFailure, ProviderProfiles

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api")

# How long the first run waits for the server's profile on a computer that keeps none.
FIRST_PROFILE_WAIT_SECONDS = 3.0

# Failures that mean "a profile came, but not one this assistant may trust".
NOT_GENUINE = frozenset(
    {
        "profile_signature_invalid",
        "profile_key_unknown",
        "profile_malformed",
        "server_not_trusted",
    }
)


def _source_text(source: ValueSource) -> str:
    return {
        ValueSource.PROVIDER: _("from your provider's settings"),
        ValueSource.COMPUTER: _("set on this computer"),
        ValueSource.DEFAULT: _("the assistant's built-in defaults"),
    }[source]


def _mail_server_text(server) -> str:
    security = {"ssl": "SSL/TLS", "starttls": "STARTTLS", "none": _("unencrypted")}
    return f"{server.protocol.upper()} {server.host}:{server.port} ({security[server.security]})"


def _check_values(
    settings: DiagnosticsSettings, sources: dict[str, ValueSource]
) -> dict[str, tuple[str, str, ValueSource]]:
    """Per check: what it is tested against, those values, and where they came from."""
    none = _("none")
    modem_source = (
        ValueSource.COMPUTER
        if "modem_url" in settings.model_fields_set
        else sources["router_admin_page"]
    )
    modem_page = settings.modem_url or settings.router_admin_page
    return {
        "internet.reachability": (
            _("Test addresses"),
            ", ".join(settings.internet_endpoints) or none,
            sources["internet_endpoints"],
        ),
        "internet.dns": (
            _("Names looked up"),
            ", ".join(settings.dns_test_names) or none,
            sources["dns_test_names"],
        ),
        "email.servers": (
            _("Mail servers"),
            ", ".join(_mail_server_text(server) for server in settings.mail_servers) or none,
            sources["mail_servers"],
        ),
        "internet.modem": (
            _("Router settings page"),
            modem_page or _("the address of the router this computer uses"),
            modem_source,
        ),
    }


def _summary(provider: ProviderProfiles, server_url: str | None) -> str:
    status = provider.status()
    profile = status.profile
    if profile is not None and not any(read(profile) for read in PROFILE_VALUES.values()):
        return _(
            "Your provider's settings name no test addresses or mail servers: the checks use "
            "the assistant's built-in ones."
        )
    if profile is not None:
        when = status.checked_at or profile.issued_at
        return _(
            "The test addresses and mail servers come from the settings of {provider} "
            "(last confirmed {date})."
        ).format(provider=profile.name or _("your provider"), date=formats.moment(when))
    if not server_url:
        return _(
            "No server of your provider is set up: the checks use the assistant's built-in "
            "test addresses."
        )
    return _(
        "Your provider's settings have not arrived yet: the checks use the assistant's "
        "built-in test addresses."
    )


def _problem(failure: ProfileFailure | None, has_profile: bool) -> str | None:
    if failure is None:
        return None
    when = formats.moment(failure.at)
    if failure.code in NOT_GENUINE:
        text = _(
            "On {time} the server sent settings that are not signed by your provider; "
            "they were not used."
        )
    elif has_profile:
        text = _(
            "Your provider's settings could not be updated on {time}; the last confirmed "
            "ones are used."
        )
    else:
        text = _("Your provider's settings could not be fetched on {time}.")
    return text.format(time=when)


def provider_view(context: AssistantContext) -> dict:
    provider = context.provider
    status = provider.status()
    profile = status.profile
    settings = provider.diagnostics_settings()
    hotline = profile.hotline_phone if profile is not None else ""
    checks = {}
    for check_id, (label, values, source) in _check_values(
        settings, provider.value_sources()
    ).items():
        text = _("{label}: {values} ({source})").format(
            label=label, values=values, source=_source_text(source)
        )
        checks[check_id] = {"source": source.value, "text": text}
    return {
        "from_provider": profile is not None,
        "name": (profile.name or None) if profile is not None else None,
        "hotline_phone": hotline or None,
        "hotline_href": "tel:" + re.sub(r"[^+0-9]", "", hotline) if hotline else None,
        "summary": _summary(provider, context.premium.server_url),
        "problem": _problem(status.failure, profile is not None),
        "checks": checks,
    }


@router.get("/provider")
def provider_status(request: Request) -> dict:
    return provider_view(request.app.state.context)


async def wait_for_first_profile(context: AssistantContext, first_attempt: asyncio.Event) -> None:
    """On a computer that keeps no profile yet, waits a moment for the server's, so the first
    run already tests the ISP's servers instead of the built-in defaults."""
    if context.provider.profile is not None or not context.premium.server_url:
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(first_attempt.wait(), FIRST_PROFILE_WAIT_SECONDS)


async def refresh_provider(
    context: AssistantContext,
    schedule: RefreshSchedule | None = None,
    *,
    first_attempt: asyncio.Event | None = None,
) -> None:
    """Asks the server for its provider profile at start and then now and then, on the
    premium refresh's schedule (every few hours, soon again after a failure); when what the
    checks test against changes with it, they run again."""
    if schedule is None:
        try:
            schedule = RefreshSchedule.from_environment()
        except ValueError as error:
            logger.warning("%s; the usual waits apply", error)
            schedule = RefreshSchedule()
    while True:
        server_url = context.premium.server_url
        before = context.provider.diagnostics_settings().model_dump()
        try:
            changed = await asyncio.to_thread(context.provider.refresh, server_url)
            failed = context.provider.status().failure is not None
        except Exception:  # a bug: logged, and tried again as soon as after any failure
            logger.exception("fetching the provider profile failed")
            changed, failed = False, True
        if first_attempt is not None:
            first_attempt.set()
        settings_changed = context.provider.diagnostics_settings().model_dump() != before
        if changed and settings_changed and context.board.run is not None:
            context.board.start(or_after_current=True)
        await asyncio.sleep(schedule.next_wait(failed=failed or not server_url))
