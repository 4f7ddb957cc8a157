"""The agents' chat pages:

- `GET /portal/inbox`: my chats, the queue and tickets in one page (`/portal/inbox/fragment`
  is its body alone, which the page's script fetches again when something changes);
- `GET /portal/chats/{id}`: one conversation; writing goes over the staff channel;
  every route of one conversation declares, beside the role, the relation to it it needs
  (`chat.access`, the rule the staff channel's frames follow too);
- `POST /portal/chats/{id}/take | transfer | close | attachments`: form posts, each
  answered with a redirect (303) to a page that says what was done (`?done=`), so a
  reload repeats nothing; a refusal shows the page again with the reason, changing nothing;
- `POST /portal/chats/{id}/draft-article`: a draft knowledge-base article from the chat,
  then its editor (for those who write articles);
- `GET /portal/chats/{id}/attachments/{attachment_id}`: a file of the conversation;

The admins' page of the topics each agent takes is `chat.topic_pages`.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agent_portal.auth import service as auth_service
from agent_portal.auth.deps import CurrentStaff, csrf_protected, require_staff
from agent_portal.chat import access, article_draft, flows, page_data, service, topics
from agent_portal.chat.access import Access
from agent_portal.chat.deps import ensure_page_access, require_conversation
from agent_portal.chat.errors import N_, AttachmentTooLarge, ChatError, ConversationNotFound
from agent_portal.chat.staff_handlers import post_as_agent, publish_agent_message
from agent_portal.chat.topics import TOPIC_LABELS
from agent_portal.customers.pages import Formats
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.i18n import _
from agent_portal.knowledge.pages import WRITERS as ARTICLE_WRITERS
from agent_portal.params import Id, id_from_text
from agent_portal.unit_of_work import committed
from agent_portal.web.templating import render

router = APIRouter(prefix="/portal", tags=["portal"], include_in_schema=False)
CHAT_STAFF = require_staff("agent", "admin")
# One conversation's page, its files and its close: experts too, in their own pre-chats
# (the relation below decides); taking and handing over stay the hotline's.
CONVERSATION_STAFF = require_staff(*access.CONVERSATION_ROLES)
# Beside the role, every route of one conversation declares the relation to it it needs
# (`chat.access`: its agent, the queue and tickets for every agent, admins everywhere).
SEES_IT = require_conversation(Access.see)
WRITES_IN_IT = require_conversation(Access.write)
# The knowledge editor's rule: whoever may write articles may draft one from a chat.
DRAFT_WRITERS = require_staff(*ARTICLE_WRITERS)
# The inbox's notice after an action took a conversation from the staff member.
INBOX_NOTICES = {
    "handed_over": N_("The conversation has been handed over; it is no longer yours."),
    "closed": N_("The conversation has been closed."),
}
# The conversation page's notice after an action on it.
CONVERSATION_NOTICES = {
    "taken": N_("You have taken the conversation."),
    "file_sent": N_("Your file has been sent."),
    "handed_over": N_("The conversation has been handed over."),
    "handed_over_topic": N_("The conversation has been handed over to the queue of its new topic."),
    "closed": N_("The conversation has been closed."),
    "offered": N_("The expert has been offered; the customer's answer shows here."),
    "offer_withdrawn": N_("The offer has been withdrawn."),
}
# Images a browser may show in the page; everything else downloads.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def _helpers(settings) -> dict:
    return {
        "fmt": Formats(settings.time_zone, utcnow()),
        "time_zone": settings.time_zone,  # for the page's script: fmt.moment's zone
        "topic_label": page_data.topic_label,
        "status_label": page_data.status_label,
        "presence_label": page_data.presence_label,
        "system_text": page_data.system_text,
        "topic_labels": {topic.value: _(label) for topic, label in TOPIC_LABELS.items()},
        "status_labels": {key: _(label) for key, label in page_data.STATUS_LABELS.items()},
    }


@router.get("/inbox", response_class=HTMLResponse, dependencies=[CHAT_STAFF])
def inbox_page(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    done: str = "",
):
    context = page_data.inbox(db_session=db_session, staff=staff, settings=settings, now=utcnow())
    notice = _(INBOX_NOTICES[done]) if done in INBOX_NOTICES else None
    return render(request, "chat/inbox.html", message=notice, **context, **_helpers(settings))


@router.get("/inbox/fragment", response_class=HTMLResponse, dependencies=[CHAT_STAFF])
def inbox_fragment(
    request: Request, db_session: SessionDep, settings: SettingsDep, staff: CurrentStaff
):
    context = page_data.inbox(db_session=db_session, staff=staff, settings=settings, now=utcnow())
    return render(request, "chat/_inbox_body.html", **context, **_helpers(settings))


def conversation_response(
    request: Request,
    *,
    db_session,
    settings,
    staff,
    conversation_id: int,
    status_code: int = 200,
    error: str | None = None,
    message: str | None = None,
) -> HTMLResponse:
    conversation = service.get_conversation(db_session=db_session, conversation_id=conversation_id)
    if conversation is None:
        return render(request, "chat/not_found.html", status_code=404)
    # The routes declared the relation already; this is the object shown, checked again.
    ensure_page_access(staff, conversation, Access.see)
    context = page_data.conversation_page(
        db_session=db_session,
        conversation=conversation,
        staff=staff,
        settings=settings,
        now=utcnow(),
    )
    return render(
        request,
        "chat/conversation.html",
        status_code=status_code,
        error=error,
        message=message,
        system_texts=page_data.system_texts(),
        **context,
        **_helpers(settings),
    )


@router.get(
    "/chats/{conversation_id}",
    response_class=HTMLResponse,
    dependencies=[CONVERSATION_STAFF, SEES_IT],
)
def conversation_view(
    request: Request,
    conversation_id: Id,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    done: str = "",
):
    return conversation_response(
        request,
        db_session=db_session,
        settings=settings,
        staff=staff,
        conversation_id=conversation_id,
        message=_(CONVERSATION_NOTICES[done]) if done in CONVERSATION_NOTICES else None,
    )


async def _page_after(request, conversation_id: int, staff, done: str) -> str:
    """Back to the conversation, saying what was `done`, or to the inbox when the action
    took it from the staff member (handed to a colleague, or closed while not theirs)."""

    inbox = "/portal/expert" if staff.role == access.EXPERT_ROLE else "/portal/inbox"

    def target(db_session) -> str:
        conversation = service.get_conversation(
            db_session=db_session, conversation_id=conversation_id
        )
        if conversation is None:
            return inbox
        if access.sees(staff, conversation):
            return f"/portal/chats/{conversation_id}?done={done}"
        gone = "closed" if conversation.status == "closed" else "handed_over"
        return f"{inbox}?done={gone}"

    return await request.app.state.live.run_db(target)


async def _after(
    request, conversation_id: int, staff, action, *, done: str, error_status: int = 409
):
    """Runs a page action; back to the conversation, or the page with the error."""
    try:
        await action
    except ChatError as error:
        problem = error.translated(_)
        status_code = 404 if error.code == "not_found" else error_status
    else:
        return RedirectResponse(await _page_after(request, conversation_id, staff, done), 303)
    live = request.app.state.live
    return await live.run_db(
        lambda db_session: conversation_response(
            request,
            db_session=db_session,
            settings=live.settings,
            staff=auth_service.get_staff(db_session=db_session, staff_id=staff.id),
            conversation_id=conversation_id,
            status_code=status_code,
            error=problem,
        )
    )


@router.post("/chats/{conversation_id}/take", dependencies=[CHAT_STAFF, csrf_protected(), SEES_IT])
async def take_conversation(request: Request, conversation_id: Id, staff: CurrentStaff):
    live = request.app.state.live
    action = flows.take(live, conversation_id=conversation_id, staff_id=staff.id)
    return await _after(request, conversation_id, staff, action, done="taken")


@router.post(
    "/chats/{conversation_id}/transfer", dependencies=[CHAT_STAFF, csrf_protected(), SEES_IT]
)
async def transfer_conversation(
    request: Request,
    conversation_id: Id,
    staff: CurrentStaff,
    target: str = Form(""),
    note: str = Form(""),
):
    live = request.app.state.live
    kind, _sep, value = target.partition(":")
    to_staff_id = id_from_text(value) if kind == "staff" else None
    to_topic = value if kind == "topic" and value in {t.value for t in topics.Topic} else None

    async def action():
        if to_staff_id is None and to_topic is None:
            raise ChatError(N_("Choose a colleague or a topic to hand the conversation to."))
        await flows.transfer(
            live,
            conversation_id=conversation_id,
            staff_id=staff.id,
            to_staff_id=to_staff_id,
            to_topic=to_topic,
            note=note,
        )

    done = "handed_over_topic" if to_topic else "handed_over"
    return await _after(request, conversation_id, staff, action(), done=done)


@router.post(
    "/chats/{conversation_id}/close", dependencies=[CONVERSATION_STAFF, csrf_protected(), SEES_IT]
)
async def close_conversation(request: Request, conversation_id: Id, staff: CurrentStaff):
    live = request.app.state.live
    action = flows.close(live, conversation_id=conversation_id)
    return await _after(request, conversation_id, staff, action, done="closed")


@router.post(
    "/chats/{conversation_id}/attachments",
    dependencies=[CONVERSATION_STAFF, csrf_protected(), WRITES_IN_IT],
)
async def upload_attachment(
    request: Request,
    conversation_id: Id,
    staff: CurrentStaff,
    file: UploadFile | None = File(None),
    text: str = Form(""),
    client_msg_id: str = Form(""),
):
    live = request.app.state.live
    limit = live.settings.chat_attachment_max_bytes

    async def action():
        if file is None or not file.filename:
            raise ChatError(N_("Choose a file to send."))
        data = await file.read(limit + 1)
        if len(data) > limit:
            raise AttachmentTooLarge(file.size or len(data), limit)
        attachment = service.NewAttachment(
            file.filename, file.content_type or "application/octet-stream", data
        )

        def store(db_session):
            conversation = service.get_conversation(
                db_session=db_session, conversation_id=conversation_id
            )
            if conversation is None:
                raise ConversationNotFound()
            return post_as_agent(
                db_session=db_session,
                conversation=conversation,
                staff_id=staff.id,
                client_msg_id=client_msg_id or uuid.uuid4().hex,
                text=text,
                now=live.now(),
                limit=limit,
                text_limit=live.settings.chat_message_max_chars,
                attachment=attachment,
            )

        _ack, snap, changed = await live.run_db(committed(store))
        await publish_agent_message(live, snap, changed)

    return await _after(
        request, conversation_id, staff, action(), done="file_sent", error_status=400
    )


@router.post(
    "/chats/{conversation_id}/draft-article",
    dependencies=[DRAFT_WRITERS, csrf_protected(), SEES_IT],
)
def draft_article(
    request: Request,
    conversation_id: Id,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
):
    # Each post makes a new draft: an agent may want a fresh one after the chat went on,
    # and a draft is never shown to customers; the page's script stops double clicks.
    try:
        article = article_draft.draft_article(
            db_session=db_session,
            conversation_id=conversation_id,
            author=staff,
            default_language=settings.default_language,
            now=utcnow(),
        )
    except ChatError as error:
        return conversation_response(
            request,
            db_session=db_session,
            settings=settings,
            staff=staff,
            conversation_id=conversation_id,
            status_code=409,
            error=error.translated(_),
        )
    db_session.commit()
    if article is None:
        return render(request, "chat/not_found.html", status_code=404)
    return RedirectResponse(f"/portal/knowledge/{article.id}/edit?done=from_chat", status_code=303)


@router.get(
    "/chats/{conversation_id}/attachments/{attachment_id}",
    dependencies=[CONVERSATION_STAFF, SEES_IT],
)
def download_attachment(conversation_id: Id, attachment_id: Id, db_session: SessionDep):
    attachment = service.get_attachment(
        db_session=db_session, conversation_id=conversation_id, attachment_id=attachment_id
    )
    if attachment is None:
        return Response(_("There is no such attachment."), status_code=404, media_type="text/plain")
    inline = attachment.content_type in INLINE_TYPES
    disposition = "inline" if inline else "attachment"
    return Response(
        attachment.data,
        media_type=attachment.content_type if inline else "application/octet-stream",
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(attachment.filename)}",
            "X-Content-Type-Options": "nosniff",
        },
    )
