"""Keeps the subscription token between starts, so premium works at once and offline.

Only the subscription is kept: a session unlock never touches the disk. The token is
worthless on another computer (it names this device) and is checked again on loading.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from pydantic import BaseModel, ValidationError

from isp_common.entitlements import UtcDatetime
from isp_common.private_files import ensure_private_dir, read_private_file, write_private_file

logger = logging.getLogger(__name__)

FILE_NAME = "subscription.json"


class StoredSubscription(BaseModel):
    token: str
    refreshed_at: UtcDatetime


class SubscriptionStore:
    def __init__(self, directory: Path) -> None:
        self._directory = Path(directory)
        self._path = self._directory / FILE_NAME

    def load(self) -> StoredSubscription | None:
        try:
            data = read_private_file(self._path, logger=logger)
            return StoredSubscription.model_validate_json(data)
        except FileNotFoundError:
            return None
        except (OSError, ValidationError) as error:
            logger.warning("stored subscription %s unreadable, ignored: %s", self._path, error)
            return None

    def save(self, stored: StoredSubscription) -> None:
        ensure_private_dir(self._directory, logger=logger)
        write_private_file(self._path, stored.model_dump_json().encode())

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path.unlink()
