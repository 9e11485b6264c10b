"""The layout of a code: which questions it packs, in which order, with which choices.

A compact code stores answers by position, not by id, so reading it needs the layout of the
rule set it was made with. The layout holds only what the packing depends on (question ids,
types, choice codes, number ranges, and the urgent flags that can be recorded), never labels, so
a rule set whose wording changes keeps its layout and its codes read exactly as before.

Each code carries the 4-byte digest of its layout. The layouts of earlier rule sets are kept in
``screening/codec/layouts/<digest>.json`` (written by ``screening codec record-layout``); with
them a code made under rules A is read under rules B by question id, and what B no longer asks
is reported, not guessed. A test fails while the current rules' layout is not recorded.

Safety-page questions are not in the layout: their answers are time-bound (CONTENT.md a) and
are never encoded, so they can never be restored from a code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..rules.catalogue import Catalogue

LAYOUTS_DIR = Path(__file__).resolve().parent / "layouts"
LAYOUT_FORMAT = 1


@dataclass(frozen=True)
class Slot:
    """One question as the code packs it."""

    id: str
    type: str  # yesno | single | multi | number | text | confirm
    choices: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type in ("single", "multi"):
            out["choices"] = list(self.choices)
        if self.type == "number":
            out["min"], out["max"] = self.min, self.max
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slot:
        kind = data["type"]
        if kind == "yesno":
            choices: tuple[str, ...] = ("yes", "no", "not_sure")
        elif kind == "confirm":
            choices = ("yes",)
        else:
            choices = tuple(data.get("choices", ()))
        return cls(data["id"], kind, choices, data.get("min"), data.get("max"))


@dataclass(frozen=True)
class Layout:
    slots: tuple[Slot, ...]
    urgent_flags: tuple[str, ...]  # urgent flag ids in catalogue order: one bit each
    rules_version: str = ""  # the rule set it was recorded from (for people, not the digest)
    rules_hash: str = ""

    def structure(self) -> dict[str, Any]:
        return {
            "slots": [s.to_json() for s in self.slots],
            "urgent_flags": list(self.urgent_flags),
        }

    @property
    def digest(self) -> bytes:
        canonical = json.dumps(self.structure(), sort_keys=True, separators=(",", ":"))
        return hashlib.blake2b(canonical.encode("utf-8"), digest_size=4).digest()

    def to_json(self) -> dict[str, Any]:
        return {
            "layout_format": LAYOUT_FORMAT,
            "digest": self.digest.hex(),
            "recorded_from": {"rules_version": self.rules_version, "rules_hash": self.rules_hash},
            **self.structure(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Layout:
        recorded = data.get("recorded_from", {})
        return cls(
            tuple(Slot.from_json(s) for s in data["slots"]),
            tuple(data["urgent_flags"]),
            recorded.get("rules_version", ""),
            recorded.get("rules_hash", ""),
        )


def layout_of(catalogue: Catalogue) -> Layout:
    """The layout codes made under ``catalogue`` use: every question after the safety page."""
    safety = {q.id for q in catalogue.sections[0].questions} if catalogue.sections else set()
    slots = tuple(
        Slot(q.id, q.type, q.choice_values(), q.min, q.max)
        for q in catalogue.ordered_questions()
        if q.id not in safety
    )
    urgent = tuple(f.id for f in catalogue.flags if f.level == "urgent")
    return Layout(slots, urgent, catalogue.meta.version, catalogue.content_hash)


@cache
def archived_layouts(directory: Path = LAYOUTS_DIR) -> dict[bytes, Layout]:
    """Recorded layouts by digest. A file whose content does not match its digest is skipped:
    reading codes with a wrong layout would put answers on the wrong questions."""
    found: dict[bytes, Layout] = {}
    for path in sorted(directory.glob("*.json")):
        layout = Layout.from_json(json.loads(path.read_text(encoding="utf-8")))
        if layout.digest.hex() == path.stem:
            found[layout.digest] = layout
    return found


def _readable(data: dict[str, Any]) -> str:
    """One slot a line: reviewable in a diff, and still plain JSON."""
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {json.dumps(v, ensure_ascii=False)}" for v in value)
            lines.append(f"  {json.dumps(key)}: [\n{items}\n  ]")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def record_layout(catalogue: Catalogue, directory: Path = LAYOUTS_DIR) -> tuple[Path, bool]:
    """Write the catalogue's layout to the archive; returns its path and whether it is new."""
    layout = layout_of(catalogue)
    path = directory / f"{layout.digest.hex()}.json"
    if path.exists():
        return path, False
    directory.mkdir(parents=True, exist_ok=True)
    path.write_text(_readable(layout.to_json()), encoding="utf-8")
    archived_layouts.cache_clear()
    return path, True
