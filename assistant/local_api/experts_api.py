"""The local API of the Experts tab (signed-in customers only; the server is asked with
this computer's key through `assistant.escalation.experts`):

    GET  /api/experts/categories            {"categories": [{id, name, children}]}
    GET  /api/experts?category=&q=          {"experts": [summary, ...]}, online ones first
    GET  /api/experts/{id}                  one expert's profile, written for the page
    GET  /api/experts/{id}/photo            the expert's photo
    POST /api/experts/{id}/prechat          {text}: the free pre-chat (201, its id), then
                                            shown in live help

Everything is written in the assistant's current language: prices with
`isp_common.formatting`, languages by name, the status in words. A refusal answers
`{"error": the customer's sentence, "code": ...}`: 409 not signed in, 404 no such expert,
503 the server cannot be asked now; a pre-chat's refusals are those of live help.
"""

from __future__ import annotations

import asyncio

from babel import Locale
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from assistant.escalation import errors
from assistant.escalation.experts import (
    ExpertNotFound,
    ExpertProfile,
    ExpertsClient,
    ExpertSummary,
    ExpertsUnavailable,
)
from assistant.i18n import _
from isp_common import formatting
from isp_common.expert_desk_wire import ExpertStatus

router = APIRouter(prefix="/api/experts")


def status_texts() -> dict[str, str]:
    return {
        ExpertStatus.online: _("Online now"),
        ExpertStatus.busy: _("In a session"),
        ExpertStatus.away: _("Away"),
        ExpertStatus.offline: _("Not online"),
    }


class Refusal(Exception):
    def __init__(self, status: int, code: str, text: str) -> None:
        super().__init__(text)
        self.status, self.code, self.text = status, code, text


def _client(request: Request) -> ExpertsClient:
    context = request.app.state.context
    premium = context.premium
    if not premium.service.status().linked or not premium.server_url:
        raise Refusal(409, "not_linked", _("Sign in to find an expert."))
    return ExpertsClient(premium.server_url, premium.service.device_key)


async def _ask(request: Request, call, *args, **kwargs):
    client = _client(request)
    try:
        return await asyncio.to_thread(call, client, *args, **kwargs)
    except ExpertNotFound as err:
        raise Refusal(404, "not_found", _("This expert cannot be found (any more).")) from err
    except ExpertsUnavailable as err:
        raise Refusal(
            503, "unavailable", _("The experts cannot be reached right now. Try again later.")
        ) from err
    finally:
        client.close()


def _language(request: Request) -> str:
    return request.app.state.context.language


def _language_names(codes: list[str], language: str) -> str:
    names = Locale.parse(language).languages
    return ", ".join(names.get(code, code) for code in codes)


def _prices(expert: ExpertSummary, language: str) -> list[str]:
    prices = []
    if expert.price_per_minute is not None:
        amount = formatting.money(expert.price_per_minute, expert.currency, locale=language)
        prices.append(_("{amount} per minute").format(amount=amount))
    if expert.price_per_session is not None:
        amount = formatting.money(expert.price_per_session, expert.currency, locale=language)
        prices.append(_("{amount} per session").format(amount=amount))
    return prices


def summary_view(expert: ExpertSummary, language: str) -> dict:
    return {
        "id": expert.id,
        "name": expert.display_name,
        "slogan": expert.slogan,
        "categories": ", ".join(category.name for category in expert.categories),
        "languages": _language_names(expert.languages, language),
        "prices": _prices(expert, language),
        "status": expert.status.value,
        "status_text": status_texts()[expert.status],
        "online": expert.status is ExpertStatus.online,
    }


def profile_view(expert: ExpertProfile, language: str) -> dict:
    view = summary_view(expert, language)
    rating = None
    if expert.score is not None and expert.rated_sessions > 0:
        rating = _("{score} of 5 from {count} paid sessions").format(
            score=formatting.decimal(expert.score, locale=language),
            count=formatting.number(expert.rated_sessions, locale=language),
        )
    view.update(
        qualifications=expert.qualifications,
        experience=expert.experience,
        text_language=expert.text_language,
        text_language_name=_language_names([expert.text_language], language),
        photo_url=f"/api/experts/{expert.id}/photo" if expert.photo_url else None,
        rating=rating,
        start_label=_("Start a free pre-chat") if view["online"] else _("Leave a message"),
        start_note=(
            _("The pre-chat is free. Nothing is charged before you both agree on a paid session.")
            if view["online"]
            else _(
                "{name} is not online right now. Your message waits for them, and they will "
                "answer in Live help later."
            ).format(name=expert.display_name)
        ),
    )
    return view


@router.get("/categories")
async def categories(request: Request) -> dict:
    language = _language(request)
    tree = await _ask(request, ExpertsClient.categories, language)

    def node(category) -> dict:
        return {
            "id": category.id,
            "name": category.named(language),
            "children": [node(child) for child in category.children],
        }

    return {"categories": [node(category) for category in tree]}


@router.get("")
async def find(request: Request, category: int | None = None, q: str = "") -> dict:
    language = _language(request)
    found = await _ask(
        request, ExpertsClient.find, language=language, query=q[:200], category_id=category
    )
    return {"experts": [summary_view(expert, language) for expert in found]}


@router.get("/{expert_id}")
async def profile(expert_id: int, request: Request) -> dict:
    language = _language(request)
    expert = await _ask(request, ExpertsClient.profile, expert_id, language)
    return profile_view(expert, language)


@router.get("/{expert_id}/photo")
async def photo(expert_id: int, request: Request) -> Response:
    found = await _ask(request, ExpertsClient.photo, expert_id)
    if found is None:
        return Response(status_code=404)
    data, content_type = found
    return Response(data, media_type=content_type, headers={"cache-control": "no-store"})


class NewPrechat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str


@router.post("/{expert_id}/prechat", status_code=201)
async def start_prechat(expert_id: int, body: NewPrechat, request: Request) -> dict:
    if not body.text.strip():
        raise errors.MessageRefused("empty_message")
    desk = request.app.state.context.live
    info = await desk.start_prechat(expert_id, body.text.strip())
    return {"id": info.id, "status": info.status.value}


def add_error_handlers(app) -> None:
    async def refused(_request: Request, error: Refusal) -> JSONResponse:
        return JSONResponse({"error": error.text, "code": error.code}, status_code=error.status)

    app.add_exception_handler(Refusal, refused)
