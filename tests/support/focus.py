"""The focus ring as Chromium draws it: walks a page with the Tab key and, for each element
that takes the focus, reads the ring's colours and the background it is drawn on, so a
test can ask what WCAG 1.4.11 asks: 3:1 between the indicator and what is around it.

A control that is visually hidden (a file input inside its label) shows its focus on its
label, so the label is measured instead."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from coloraide import Color

NEEDED_CONTRAST = 3.0
_WALKS = itertools.count(1)

_READ_FOCUSED = """(walk) => {
  const focused = document.activeElement;
  if (!focused || focused === document.body) return null;
  const again = focused.__focusWalk === walk;  // a property, not an attribute: no change seen
  focused.__focusWalk = walk;
  const own = focused.getBoundingClientRect();
  const hidden = (own.width <= 1 || own.height <= 1) && focused.labels && focused.labels.length;
  const shown = hidden ? focused.labels[0] : focused;
  // Measured where a person sees it: scrolled into view at once (Chromium's own scrolling
  // to the focus may still be under way, or leave a sticky bar's link outside the view).
  shown.scrollIntoView({ block: "nearest", inline: "nearest", behavior: "instant" });
  const style = getComputedStyle(shown);
  const opaque = (colour) => colour.startsWith("rgb(");
  // What the ring is drawn on: the page under a point 4px outside each side (past the
  // offset, within the outline), top layer first, down to the first opaque background.
  const box = shown.getBoundingClientRect();
  const middle = [box.left + box.width / 2, box.top + box.height / 2];
  const points = [[box.left - 4, middle[1]], [box.right + 4, middle[1]],
                  [middle[0], box.top - 4], [middle[0], box.bottom + 4]];
  const backgrounds = [];
  for (const [x, y] of points) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const layers = [];
    const under = [];
    for (const node of document.elementsFromPoint(x, y)) {
      if (node === shown || shown.contains(node)) continue;
      const colour = getComputedStyle(node).backgroundColor;
      layers.push(colour);
      under.push(node.tagName.toLowerCase() + (node.id ? "#" + node.id : ""));
      if (opaque(colour)) break;
    }
    const point = `(${Math.round(x)}, ${Math.round(y)})`;
    backgrounds.push({ layers, where: `${point} ${under.join(" > ")}` });
  }
  const name = (focused.id ? "#" + focused.id : focused.tagName.toLowerCase()) +
    (focused.className && typeof focused.className === "string"
      ? "." + focused.className.trim().split(/\\s+/).join(".") : "") +
    " " + JSON.stringify((focused.innerText || focused.value || "").trim().slice(0, 30));
  return {
    name,
    again,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColour: style.outlineColor,
    shadow: style.boxShadow,
    backgrounds,
  };
}"""


@dataclass
class Ring:
    """One focused element: its ring's colours and the contrast of the outer one."""

    name: str
    colours: list[str]  # outer ring first
    background: str  # the one it stands out least from, and where
    contrast: float  # of the outer ring against that background; 0 without a ring

    def __str__(self) -> str:
        return f"{self.name}: ring {self.colours} on {self.background} is {self.contrast:.2f}:1"


def _background(layers: list[str]) -> Color:
    colours = [Color(layer) for layer in layers] + [Color("white")]
    return Color.layer(colours, space="srgb")


def _ring(found: dict) -> Ring:
    colours = []
    if found["outlineStyle"] not in ("none", "hidden") and found["outlineWidth"] >= 2:
        colours.append(found["outlineColour"])
    if found["shadow"] != "none":
        colours += re.findall(r"rgba?\([^)]*\)", found["shadow"])
    backgrounds = [
        (_background(point["layers"]), point["where"]) for point in found["backgrounds"]
    ] or [(Color("white"), "nowhere on the screen")]
    if not colours:
        return Ring(found["name"], [], backgrounds[0][0].to_string(hex=True), 0.0)
    outer = Color(colours[0])
    weakest, where = min(backgrounds, key=lambda bg: outer.contrast(bg[0], method="wcag21"))
    contrast = outer.contrast(weakest, method="wcag21")
    return Ring(found["name"], colours, f"{weakest.to_string(hex=True)} at {where}", contrast)


def focused_ring(page) -> Ring | None:
    found = page.evaluate(_READ_FOCUSED, "one look")
    return _ring(found) if found else None


def rings_by_tab(page, limit: int = 80) -> list[Ring]:
    """Presses Tab until the focus comes round to an element it had already."""
    walk = f"walk {next(_WALKS)}"
    rings: list[Ring] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.evaluate(_READ_FOCUSED, walk)
        if found is None:
            continue  # the focus left the page for the browser's own controls
        if found["again"]:
            break
        rings.append(_ring(found))
    return rings


def weak_rings(rings: list[Ring]) -> list[str]:
    return [str(ring) for ring in rings if ring.contrast < NEEDED_CONTRAST]
