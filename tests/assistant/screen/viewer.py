"""What the viewer does with an update, in numpy: the rectangles applied in order onto its
copy of the picture (COPY reads the picture as it was before the update), so tests can
compare what the expert would see with what the customer's screen shows."""

from __future__ import annotations

import numpy as np
import simplejpeg

from isp_common.screen_wire import Encoding, ScreenUpdate, decode_update


class Viewer:
    def __init__(self) -> None:
        self.picture: np.ndarray | None = None  # RGB, (height, width, 3)
        self.frames: list[int] = []

    def apply(self, payload: bytes) -> ScreenUpdate:
        update = decode_update(payload)
        size = (update.height, update.width, 3)
        if self.picture is None or self.picture.shape != size:
            assert update.keyframe, "a picture of a new size comes as a keyframe"
            self.picture = np.zeros(size, dtype=np.uint8)
        before = self.picture.copy()
        for rect in update.rects:
            area = (slice(rect.y, rect.y + rect.height), slice(rect.x, rect.x + rect.width))
            if rect.encoding is Encoding.copy:
                sx, sy = rect.source
                self.picture[area] = before[sy : sy + rect.height, sx : sx + rect.width]
            elif rect.encoding is Encoding.solid:
                self.picture[area] = rect.colour
            else:
                decoded = simplejpeg.decode_jpeg(rect.data, colorspace="RGB")
                assert decoded.shape == (rect.height, rect.width, 3)
                self.picture[area] = decoded
        self.frames.append(update.frame)
        return update


def rgb(picture: np.ndarray) -> np.ndarray:
    """A captured BGRA picture as RGB."""
    return picture[..., 2::-1]


JPEG_TOLERANCE = 6.0


def difference(seen: np.ndarray, captured: np.ndarray) -> float:
    """Mean absolute difference per channel (0-255) between what the viewer shows and the
    captured BGRA picture: JPEG at quality 70 stays below `JPEG_TOLERANCE` even on dense
    text of random glyphs; a picture off by a line of text is off by 30 and more."""
    return float(np.abs(seen.astype(np.int16) - rgb(captured).astype(np.int16)).mean())
