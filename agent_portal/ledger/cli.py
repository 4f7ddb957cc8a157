"""`agent-portal ledger-check`: recomputes every balance from the entries and checks every
transfer (`check`); exit 0 with a summary, or 1 naming the first transfer that is wrong."""

from __future__ import annotations

import argparse
import sys

from agent_portal.auth.cli import _open_database
from agent_portal.config import PortalSettings
from agent_portal.ledger.check import check

EXIT_BROKEN = 1


def register(subcommands) -> None:
    parser = subcommands.add_parser(
        "ledger-check",
        help="recompute the ledger's balances from its entries and check every transfer",
    )
    parser.set_defaults(handler=ledger_check)


def ledger_check(_args: argparse.Namespace) -> int:
    engine, session_factory = _open_database(PortalSettings())
    try:
        with session_factory() as db_session:
            report = check(db_session=db_session)
    finally:
        engine.dispose()
    if not report.ok:
        print(f"Ledger check failed: {report.problem}", file=sys.stderr)
        return EXIT_BROKEN
    print(
        f"Ledger check passed: {report.transfers} transfers, {report.entries} entries, "
        f"{report.accounts} accounts, {report.open_holds} open holds; every transfer "
        "balances and every balance matches its entries."
    )
    return 0
