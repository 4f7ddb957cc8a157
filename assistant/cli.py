"""`isp-assistant`: start the assistant (window, browser or headless), or run its checks
in the terminal (`isp-assistant diagnose`, `assistant.diagnose_cli`).

    isp-assistant [--server URL] [--browser | --headless] [--port N] [--lang de|en]
"""

from __future__ import annotations

import argparse
import sys


def _port(value: str) -> int:
    port = int(value)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError("a port is a number from 0 to 65535 (0: any free one)")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="isp-assistant",
        description="Checks your computer and internet connection and explains what to do.",
    )
    parser.add_argument(
        "--server", metavar="URL", help="address of the ISP's support server (saved)"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--browser", action="store_true", help="open in the default web browser")
    mode.add_argument(
        "--headless",
        action="store_true",
        help="no window: serve the page and print its address (stop with Ctrl-C)",
    )
    parser.add_argument(
        "--port", type=_port, default=0, help="local port on 127.0.0.1 (default: any free one)"
    )
    parser.add_argument(
        "--lang",
        choices=["de", "en"],
        help="language for this start (default: the one chosen in the window, else the system's)",
    )
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")
    from assistant import diagnose_cli

    diagnose_cli.register(subcommands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from assistant.logs import configure_logging

    configure_logging()
    if getattr(args, "handler", None):
        return args.handler(args)
    from assistant.app import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
