"""What a conversation's routes declare besides the role: the staff member's relation to
the conversation in the path, by the one rule of `chat.access` (the staff channel's
conversation frames follow the same rule):

    dependencies=[CHAT_STAFF, require_conversation(Access.see)]

A refusal is the 403 page with the reason; a conversation that does not exist is left to
the route, which answers 404 in its own words.
"""

from __future__ import annotations

from fastapi import Depends
from fastapi.params import Depends as DependsParam

from agent_portal.auth.access import RELATION_ATTRIBUTE
from agent_portal.auth.deps import CurrentStaff
from agent_portal.auth.errors import RelationForbidden
from agent_portal.chat import access, service
from agent_portal.chat.access import Access
from agent_portal.deps import SessionDep
from agent_portal.params import Id


def ensure_page_access(staff, conversation, needed: Access) -> None:
    """RelationForbidden (the 403 page, saying why) unless `staff` may have `needed`."""
    problem = access.refusal(staff, conversation, needed)
    if problem is not None:
        raise RelationForbidden(problem.template, **problem.values)


def require_conversation(needed: Access) -> DependsParam:
    def check_conversation(conversation_id: Id, db_session: SessionDep, staff: CurrentStaff):
        conversation = service.get_conversation(
            db_session=db_session, conversation_id=conversation_id
        )
        if conversation is not None:
            ensure_page_access(staff, conversation, needed)

    setattr(check_conversation, RELATION_ATTRIBUTE, f"conversation: {needed}")
    return Depends(check_conversation)
