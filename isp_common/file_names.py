"""File names that came from another computer, made safe to store and to save: one rule
for the server and the assistant.

A chat attachment's name is typed on someone else's computer. The server stores it, the
portal offers it for download, and the assistant saves the file on the customer's
computer, which may run Windows, macOS or Linux. `safe_file_name` keeps the name
recognisable and makes it valid on all three (pathvalidate's "universal" rules):

- only the last part of a path counts (`..\\..\\evil.bat` is `evil.bat`);
- no character that any of them reserves (`<>:"/\\|?*`, control characters), so no NTFS
  stream either (`a.txt:x`);
- no reserved device name (`CON`, `NUL.txt`, `LPT1`: they get a `_`), no trailing dot or
  space (Windows drops them, so two names would be one file);
- besides: no leading dot (a hidden file on Linux and macOS), no invisible format
  character (a right-to-left override shows `evil\u202efdp.exe` as `evilexe.pdf`), and at
  most `MAX_NAME_BYTES` bytes of UTF-8 with the extension kept.

A name with nothing left becomes the given fallback. The function is idempotent: a safe
name stays as it is.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from pathvalidate import sanitize_filename

# Far below the 255 bytes of ext4 and NTFS: room for " (2)" and a long folder path on
# Windows, and within the 200 characters the server stores.
MAX_NAME_BYTES = 150
_PATH_SEPARATORS = re.compile(r"[/\\]")
_SPACE_BEFORE_DOT = re.compile(r" +\.")
_SPACES = re.compile(r" {2,}")
_INVISIBLE = ("Cc", "Cf")  # control and format characters (bidi overrides, zero widths)


def safe_file_name(name: str, fallback: str = "file") -> str:
    """`name` made valid and harmless as a file name on Windows, macOS and Linux."""
    text = _PATH_SEPARATORS.split(name)[-1]
    for _ in range(4):  # each pass may uncover something for the next ("AUX.", "a *.txt")
        before = text
        text = _shortened(_visible_text(text), MAX_NAME_BYTES - 1)  # room for a "_"
        text = sanitize_filename(text.strip(" ."), platform="universal", max_len=MAX_NAME_BYTES)
        text = text.strip(" .")
        if text == before:
            break
    return text or fallback


def numbered(name: str, number: int) -> str:
    """`report.pdf`, 2 -> `report (2).pdf`: the name of the next copy."""
    path = PurePosixPath(name)
    return f"{path.stem} ({number}){path.suffix}"


def _visible_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if char.isspace() else char for char in text)
    text = "".join(char for char in text if unicodedata.category(char) not in _INVISIBLE)
    # "CON .txt" is CON to Windows: spaces before a dot go, so the rules below see "CON.txt".
    return _SPACES.sub(" ", _SPACE_BEFORE_DOT.sub(".", text))


def _shortened(text: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8, cut in the stem so the extension stays."""
    if len(text.encode("utf-8")) <= limit:
        return text
    path = PurePosixPath(text)
    suffix = path.suffix if len(path.suffix.encode("utf-8")) <= 16 else ""
    stem = text[: len(text) - len(suffix)] if suffix else text
    budget = limit - len(suffix.encode("utf-8"))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    return cut.rstrip(" .") + suffix
