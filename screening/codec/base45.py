"""Base45 (RFC 9285): bytes as the 45 characters a QR code packs in alphanumeric mode.

A QR code stores alphanumeric text in 5.5 bits a character and arbitrary text in 8, so base45
(1.5 characters a byte) fills a QR code almost as well as raw bytes do, while base64 (1.33
characters a byte, but byte mode) needs a bigger code; see the measurements in
``screening.codec``. Decoding is strict: any character outside the alphabet, a value that
does not fit, or a length that base45 never produces raises ``ValueError``.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}


def b45encode(data: bytes) -> str:
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        value = data[i] * 256 + data[i + 1]
        high, value = divmod(value, 45 * 45)
        mid, low = divmod(value, 45)
        out += (ALPHABET[low], ALPHABET[mid], ALPHABET[high])
    if len(data) % 2:
        high, low = divmod(data[-1], 45)
        out += (ALPHABET[low], ALPHABET[high])
    return "".join(out)


def b45decode(text: str) -> bytes:
    try:
        digits = [_INDEX[c] for c in text]
    except KeyError:
        raise ValueError("a character that base45 does not use") from None
    if len(digits) % 3 == 1:
        raise ValueError("a length that base45 never produces")
    out = bytearray()
    for i in range(0, len(digits), 3):
        group = digits[i : i + 3]
        value = sum(d * 45**k for k, d in enumerate(group))
        if len(group) == 3:
            if value > 0xFFFF:
                raise ValueError("a group too large for two bytes")
            out += value.to_bytes(2, "big")
        else:
            if value > 0xFF:
                raise ValueError("a group too large for one byte")
            out.append(value)
    return bytes(out)
