"""`agent-portal set-topics USERNAME TOPIC…`: which chat topics an agent takes (their
skills), on the database of the settings. `--none` takes all topics away."""

from __future__ import annotations

import argparse
import sys

from agent_portal.auth import service as auth_service
from agent_portal.auth.cli import EXIT_BAD_INPUT, _open_database
from agent_portal.chat import topics
from agent_portal.chat.errors import ChatError
from agent_portal.config import PortalSettings
from isp_common.live_wire import Topic

EXIT_UNKNOWN = 1


def register(subcommands) -> None:
    parser = subcommands.add_parser(
        "set-topics",
        help="set the chat topics an agent takes (replaces the agent's topics)",
        description=f"Topics: {', '.join(topic.value for topic in Topic)}.",
    )
    parser.add_argument("username")
    parser.add_argument("topics", nargs="*", help="e.g. internet wifi (or a,b)")
    parser.add_argument("--none", action="store_true", help="take all topics away")
    parser.set_defaults(handler=set_topics)


def set_topics(args: argparse.Namespace) -> int:
    names = [name for value in args.topics for name in value.split(",")]
    if not names and not args.none:
        print("Name at least one topic, or --none to take them all away.", file=sys.stderr)
        return EXIT_BAD_INPUT
    engine, session_factory = _open_database(PortalSettings())
    try:
        with session_factory() as db_session:
            member = auth_service.get_staff_by_username(
                db_session=db_session, username=args.username
            )
            if member is None:
                print(f"There is no staff member {args.username!r}.", file=sys.stderr)
                return EXIT_UNKNOWN
            chosen = topics.set_topics(
                db_session=db_session, staff=member, topics=topics.parse_topics(names)
            )
            db_session.commit()
    except ChatError as error:
        print(f"{error} Nothing was changed.", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        engine.dispose()
    listed = ", ".join(topic.value for topic in chosen) or "none"
    print(f"{member.username} takes chats on: {listed}.")
    return 0
