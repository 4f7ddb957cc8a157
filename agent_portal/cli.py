"""`agent-portal`: run the server and do the operator's chores from the command line.

Each domain adds its own subcommands: `commands` in its `domain.py` (`agent_portal.domains`)
names the `register(subcommands)` of its `cli.py`.
"""

from __future__ import annotations

import argparse
import sys

from agent_portal import domains
from agent_portal.config import PortalSettings
from agent_portal.logs import configure_logging


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from agent_portal.app import create_app

    settings = PortalSettings()
    host = args.host or settings.host
    port = settings.port if args.port is None else args.port
    app = create_app(settings)
    print(f"Portal: http://{host}:{port}/", flush=True)
    # Chat frames are small JSON: compressing each costs more time than it saves. The app
    # reads proxy headers itself, from the proxies its settings name; uvicorn's own reading
    # would believe any request from 127.0.0.1. Logging is set up already (`main`): uvicorn
    # is told to leave it alone.
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=None,
        ws_per_message_deflate=False,
        proxy_headers=False,
    )
    return 0


def demo_data(_args: argparse.Namespace) -> int:
    from agent_portal.app import create_app
    from agent_portal.demo_data import DEMO_PASSWORD, DEMO_STAFF, seed_demo_data

    settings = PortalSettings()
    app = create_app(settings)
    with app.state.session_factory() as session:
        seed_demo_data(db_session=session, time_zone=settings.time_zone, currency=settings.currency)
        session.commit()
    app.state.engine.dispose()
    logins = ", ".join(username for username, _role, _name in DEMO_STAFF)
    print(f"Demo data loaded. Logins: {logins} (password: {DEMO_PASSWORD})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agent-portal", description="The ISP support portal server and its tools."
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve_parser = subcommands.add_parser("serve", help="run the portal server")
    serve_parser.add_argument("--host", help="address to listen on (default from settings)")
    serve_parser.add_argument("--port", type=int, help="port to listen on (default from settings)")
    serve_parser.set_defaults(handler=serve)
    demo_parser = subcommands.add_parser(
        "demo-data",
        help="load demo staff and customers (for trying the portal, never in production)",
    )
    demo_parser.set_defaults(handler=demo_data)
    for domain in domains.all_domains():
        if domain.commands is not None:
            domain.commands(subcommands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = PortalSettings()
    configure_logging(level=settings.log_level, log_format=settings.log_format)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
