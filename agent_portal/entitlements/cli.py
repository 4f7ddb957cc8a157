"""`agent-portal rotate-signing-key`: makes a new entitlement signing key. The old public
key stays published, so tokens signed with it stay valid until they expire; running
servers sharing the key directory notice the new key by themselves."""

from __future__ import annotations

import argparse
import sys

from agent_portal.config import PortalSettings
from agent_portal.server_keys import ServerKeys
from isp_common.errors import SigningKeyError


def register(subcommands) -> None:
    parser = subcommands.add_parser(
        "rotate-signing-key",
        help="make a new key for signing entitlements (old tokens stay valid until they expire)",
    )
    parser.set_defaults(handler=rotate_signing_key)


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
    print(
        f"New signing key {new} (was {old}). {published} public keys are published; "
        "tokens signed with the older ones stay valid until they expire."
    )
    return 0
