"""`isp-assistant`: start the assistant, or run its checks from the command line."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="isp-assistant",
        description="Checks your computer and internet connection and explains what to do.",
    )
    parser.add_argument("--server", help="address of the ISP's support server")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--browser", action="store_true", help="open in the default web browser")
    mode.add_argument("--headless", action="store_true", help="serve the UI without a window")
    parser.add_argument("--port", type=int, default=0, help="local port (default: any free one)")
    parser.add_argument("--lang", choices=["de", "en"], help="language (default: the system's)")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")
    from assistant.diagnostics import cli as diagnostics_cli

    diagnostics_cli.register(subcommands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None):
        return args.handler(args)
    from assistant.app import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
