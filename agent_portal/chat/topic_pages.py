"""The admins' page of the topics each agent takes chats on:

- `GET /portal/chat-topics`: every agent and admin with their topics;
- `POST /portal/chat-topics/{staff_id}`: sets one's topics, then a redirect (303) to the
  page with a notice of what was saved (`?done=saved&staff=`), so a reload repeats
  nothing; waiting customers are routed again at once, as an agent may have become free.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from agent_portal.auth import service as auth_service
from agent_portal.auth.deps import csrf_protected, require_staff
from agent_portal.chat import flows, page_data, topics
from agent_portal.chat.errors import N_, ChatError
from agent_portal.deps import SessionDep
from agent_portal.i18n import _
from agent_portal.params import Id
from agent_portal.web.templating import render

router = APIRouter(prefix="/portal", tags=["portal"], include_in_schema=False)
TOPIC_NOTICES = {"saved": N_("Topics of %(name)s: %(topics)s.")}


def topics_page(request, *, db_session, status_code=200, message=None, error=None):
    members = [
        member
        for member in auth_service.list_staff(db_session=db_session)
        if member.role in ("agent", "admin")
    ]
    return render(
        request,
        "chat/topics.html",
        status_code=status_code,
        members=members,
        chosen=topics.topics_by_staff(db_session=db_session),
        all_topics=list(topics.Topic),
        topic_label=page_data.topic_label,
        message=message,
        error=error,
    )


@router.get("/chat-topics", response_class=HTMLResponse, dependencies=[require_staff("admin")])
def chat_topics(request: Request, db_session: SessionDep, done: str = "", staff: Id | None = None):
    member = auth_service.get_staff(db_session=db_session, staff_id=staff) if staff else None
    message = None
    if done in TOPIC_NOTICES and member is not None:
        saved = topics.topics_of(db_session=db_session, staff_id=member.id)
        names = ", ".join(page_data.topic_label(topic) for topic in saved) or _("none")
        message = _(TOPIC_NOTICES[done]) % {"name": member.name, "topics": names}
    return topics_page(request, db_session=db_session, message=message)


@router.post(
    "/chat-topics/{staff_id}",
    response_class=HTMLResponse,
    dependencies=[require_staff("admin"), csrf_protected()],
)
async def save_chat_topics(request: Request, staff_id: Id, db_session: SessionDep):
    form = await request.form()
    chosen = [str(value) for value in form.getlist("topics")]
    member = auth_service.get_staff(db_session=db_session, staff_id=staff_id)
    if member is None:
        return topics_page(
            request, db_session=db_session, status_code=404, error=_("There is no such colleague.")
        )
    try:
        topics.set_topics(db_session=db_session, staff=member, topics=topics.parse_topics(chosen))
    except ChatError as error:
        return topics_page(
            request, db_session=db_session, status_code=400, error=error.translated(_)
        )
    db_session.commit()
    await flows.route_waiting(request.app.state.live)
    return RedirectResponse(f"/portal/chat-topics?done=saved&staff={member.id}", 303)
