"""The device's own key pair: made once, kept private, the same device id at every start."""

from __future__ import annotations

import base64
import re
import stat

import pytest
from cryptography.exceptions import InvalidSignature

from assistant.premium.device_keys import KEY_FILE_NAME, DeviceKey
from assistant.premium.errors import DeviceKeyError
from isp_common.device_ids import DEVICE_ID_PATTERN, device_id_for


def test_the_first_start_makes_a_key_and_later_starts_keep_it(tmp_path):
    first = DeviceKey.load_or_create(tmp_path / "data")
    again = DeviceKey.load_or_create(tmp_path / "data")

    assert again.device_id == first.device_id
    assert re.fullmatch(DEVICE_ID_PATTERN, first.device_id)
    assert first.device_id != DeviceKey.load_or_create(tmp_path / "elsewhere").device_id


def test_the_server_derives_the_same_device_id_from_the_public_key(tmp_path):
    key = DeviceKey.load_or_create(tmp_path)

    assert device_id_for(base64.b64decode(key.public_key_base64())) == key.device_id


def test_the_key_is_readable_by_its_owner_only(tmp_path):
    key = DeviceKey.load_or_create(tmp_path / "data")

    assert stat.S_IMODE(key.path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700


def test_a_key_file_opened_up_to_others_is_closed_again_and_logged(tmp_path, caplog):
    key = DeviceKey.load_or_create(tmp_path)
    key.path.chmod(0o644)

    again = DeviceKey.load_or_create(tmp_path)

    assert again.device_id == key.device_id
    assert stat.S_IMODE(key.path.stat().st_mode) == 0o600
    assert "readable by others" in caplog.text


def test_a_signed_challenge_proves_the_device(tmp_path):
    key = DeviceKey.load_or_create(tmp_path)
    challenge = b"server nonce 42"

    signature = key.sign(challenge)

    key.public_key.verify(signature, challenge)
    with pytest.raises(InvalidSignature):
        key.public_key.verify(signature, b"another challenge")


def test_a_damaged_key_is_reported_not_silently_replaced(tmp_path):
    (tmp_path / KEY_FILE_NAME).write_bytes(b"-----BEGIN PRIVATE KEY-----\ngarbage\n")

    with pytest.raises(DeviceKeyError):
        DeviceKey.load_or_create(tmp_path)
    assert b"garbage" in (tmp_path / KEY_FILE_NAME).read_bytes()


def test_the_private_key_never_shows_in_logs_or_reprs(tmp_path):
    key = DeviceKey.load_or_create(tmp_path)

    assert "PRIVATE" not in repr(key) and key.device_id in repr(key)
