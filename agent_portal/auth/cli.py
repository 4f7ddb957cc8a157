"""`agent-portal create-staff` and `agent-portal create-api-key`: the operator's way to make
the first accounts and the back end's keys, on the database of the settings."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TextIO

from agent_portal.auth import service
from agent_portal.auth.errors import DuplicateUsername, InvalidInput
from agent_portal.auth.models import ROLES
from agent_portal.config import PortalSettings
from agent_portal.database import make_engine, make_session_factory
from agent_portal.migrate import upgrade_to_head

EXIT_CONFLICT = 1  # the account exists already
EXIT_BAD_INPUT = 2  # like argparse: the values given are not acceptable


def register(subcommands) -> None:
    staff = subcommands.add_parser(
        "create-staff",
        help="create a staff account (password from the terminal, or one line on stdin)",
    )
    staff.add_argument("--role", required=True, choices=ROLES)
    staff.add_argument("--username", required=True)
    staff.add_argument("--display-name", default="", help="the name shown in the portal")
    staff.set_defaults(handler=create_staff)

    api_key = subcommands.add_parser(
        "create-api-key", help="create an API key for the ISP's back end (printed once)"
    )
    api_key.add_argument(
        "--name",
        required=True,
        help=f"which system will use the key (at most {service.API_KEY_NAME_MAX} characters)",
    )
    api_key.set_defaults(handler=create_api_key)


def _open_database(settings: PortalSettings):
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    upgrade_to_head(engine)
    return engine, make_session_factory(engine)


def read_password(stdin: TextIO | None = None) -> str | None:
    """Asks twice on a terminal; reads one line from a pipe. None when the two differ."""
    stdin = sys.stdin if stdin is None else stdin  # the one of the moment, not of the import
    if stdin.isatty():
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password again: ")
        return first if first == second else None
    return stdin.readline().rstrip("\r\n")


def create_staff(args: argparse.Namespace) -> int:
    password = read_password()
    if password is None:
        print("The two passwords differ; nothing was created.", file=sys.stderr)
        return EXIT_BAD_INPUT
    engine, session_factory = _open_database(PortalSettings())
    try:
        with session_factory() as db_session:
            member = service.create_staff(
                db_session=db_session,
                username=args.username,
                password=password,
                role=args.role,
                display_name=args.display_name,
            )
            db_session.commit()
            print(f"Created {member.role} {member.username}.")
    except DuplicateUsername as error:
        print(f"{error} Nothing was created.", file=sys.stderr)
        return EXIT_CONFLICT
    except InvalidInput as error:
        print(f"{error} Nothing was created.", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        engine.dispose()
    return 0


def create_api_key(args: argparse.Namespace) -> int:
    engine, session_factory = _open_database(PortalSettings())
    try:
        with session_factory() as db_session:
            new = service.create_api_key(db_session=db_session, name=args.name)
            db_session.commit()
    except InvalidInput as error:
        print(f"{error} Nothing was created.", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        engine.dispose()
    # The key alone on stdout, so scripts can capture it; the advice goes to stderr.
    print(
        f"API key {new.api_key.prefix}… for {new.api_key.name!r} created. It is shown only "
        "now: store it in the back end's configuration.",
        file=sys.stderr,
    )
    print(new.key)
    return 0
