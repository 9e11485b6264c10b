"""Sizes of the compact answer code and the QR code it needs, plus encode/decode times.

The QR on the PDF must stay at version 10 or below at error correction M for the seed persona
with a 200-character concern: that is the figure to watch when the rules change.
"""

from __future__ import annotations

import base64
import json
import sys
import zlib
from pathlib import Path
from typing import Any

# bench/ itself, and tests/ for the shared personas and HTTP helpers
sys.path[:0] = [
    str(Path(__file__).resolve().parent),
    str(Path(__file__).resolve().parents[1] / "tests"),
]

import segno  # noqa: E402
from answer_sets import QR_LIMIT, all_max, qr_version, seed_persona  # noqa: E402
from bench_core import timed  # noqa: E402

from screening import load_rules  # noqa: E402
from screening.codec import decode, encode, to_text  # noqa: E402
from screening.rules import Catalogue  # noqa: E402


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def alternatives(answers: dict[str, Any], rules: Catalogue) -> dict[str, int]:
    """Bytes of the designs not chosen, for the record in screening/codec/__init__.py."""
    code = encode(answers, rules)
    safety = {q.id for q in rules.sections[0].questions}
    kept = {k: v for k, v in answers.items() if k not in safety}
    ids = "\n".join(kept).encode()
    return {
        "positional + deflated id list": len(code) + 2 + len(_deflate(ids)),
        "self-describing (deflated JSON)": 17 + len(_deflate(json.dumps(kept).encode())),
    }


def describe(name: str, answers: dict[str, Any], rules: Catalogue) -> list[str]:
    code = encode(answers, rules)
    text = to_text(code)
    b64 = base64.urlsafe_b64encode(code).rstrip(b"=").decode()
    return [
        f"{name}: {len(answers)} answers, code {len(code)} bytes; QR at M: base45 "
        f"{len(text)} chars version {qr_version(text)}, base64 {len(b64)} chars version "
        f"{qr_version(b64)}, raw bytes version {segno.make(code, error='m', micro=False).version}"
    ]


def run() -> list[str]:
    rules = load_rules()
    seed = seed_persona(rules)
    lines = [f"rules {rules.label}; limit: QR version {QR_LIMIT} at M for the seed persona"]
    lines += describe("seed persona + 200-char concern", seed, rules)
    for design, size in alternatives(seed, rules).items():
        version = qr_version(to_text(bytes(size)))
        lines.append(f"  not chosen, {design}: {size} bytes, QR version {version}")
    lines += describe("all answers at their longest, English text", all_max(rules), rules)
    lines += describe("all answers at their longest, random text", all_max(rules, "random"), rules)
    code = encode(seed, rules)
    enc = timed(lambda: encode(seed, rules), 200)
    dec = timed(lambda: decode(code, rules), 200)
    lines.append(f"encode seed: {enc * 1e6:.0f} µs, decode: {dec * 1e6:.0f} µs")
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
