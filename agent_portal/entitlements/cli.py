"""The entitlement signing keys on the command line:

- `agent-portal rotate-signing-key`: makes a new signing key, endorsed by the old one, so
  assistants that trust the old key accept the new one. The old public key stays published
  until its tokens have expired (at most MAX_TOKEN_LIFETIME); running servers sharing the
  key directory notice the new key by themselves.
- `agent-portal assistant-build-config --server URL`: prints the build configuration an
  assistant for this server ships with (`isp_common.assistant_build`): the server
  addresses and the current key, pinned.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from agent_portal.config import PortalSettings
from agent_portal.entitlements import service
from agent_portal.server_keys import ServerKeys
from isp_common.entitlements import MAX_TOKEN_LIFETIME
from isp_common.errors import SigningKeyError


def register(subcommands) -> None:
    parser = subcommands.add_parser(
        "rotate-signing-key",
        help="make a new key for signing entitlements, endorsed by the current one",
    )
    parser.set_defaults(handler=rotate_signing_key)
    build = subcommands.add_parser(
        "assistant-build-config",
        help="print the build configuration of an assistant for this server (pins its key)",
    )
    build.add_argument(
        "--server",
        metavar="URL",
        action="append",
        required=True,
        help="an address assistants reach this server at (repeat for several)",
    )
    build.set_defaults(handler=print_build_config)


def rotate_signing_key(_args: argparse.Namespace) -> int:
    settings = PortalSettings()
    try:
        keys = ServerKeys.in_data_dir(settings.data_dir)
        old = keys.signing.current_key_id
        new = keys.signing.rotate()
    except (OSError, SigningKeyError) as error:
        print(f"The signing keys could not be rotated: {error}", file=sys.stderr)
        return 1
    published = len(keys.signing.public_keys().keys)
    hours = MAX_TOKEN_LIFETIME // timedelta(hours=1)
    print(
        f"New signing key {new} (was {old}), endorsed by {old}. {published} public keys are "
        f"published; {old} stops verifying {hours} hours from now, when its last tokens "
        "have expired."
    )
    return 0


def print_build_config(args: argparse.Namespace) -> int:
    settings = PortalSettings()
    try:
        keys = ServerKeys.in_data_dir(settings.data_dir)
        build = service.assistant_build_config(keys=keys, servers=args.server)
    except (OSError, SigningKeyError) as error:
        print(f"The signing keys could not be read: {error}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"Not a server address: {error}", file=sys.stderr)
        return 2
    print(build.model_dump_json(indent=2))
    return 0
