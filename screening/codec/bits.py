"""Bit-level packing for the compact code: most answers need 1 to 7 bits, not a byte each.

Bits are written least significant first, so the same reader reads any width. Reading past
the end raises ``Truncated``; the decoder turns that into one plain ``CodeInvalid``.
"""

from __future__ import annotations

MAX_VARINT_GROUPS = 10  # 70 bits: more than any answer needs, so longer means damage


class Truncated(ValueError):  # noqa: N818 - a condition, not an error of the caller
    """The data ended, or a value did not fit, while reading."""


class BitWriter:
    def __init__(self) -> None:
        self._value = 0
        self._length = 0

    def write(self, value: int, width: int) -> None:
        if value < 0 or value >> width:
            raise ValueError(f"{value} does not fit in {width} bits")
        self._value |= value << self._length
        self._length += width

    def write_varint(self, value: int) -> None:
        """7 bits at a time with a continuation bit: small numbers take 8 bits."""
        if value < 0:
            raise ValueError("varints are not negative")
        while True:
            group, value = value & 0x7F, value >> 7
            self.write(group | (0x80 if value else 0), 8)
            if not value:
                return

    def to_bytes(self) -> bytes:
        """The bits so far, padded with zero bits to a whole byte."""
        return self._value.to_bytes((self._length + 7) // 8, "little")


class BitReader:
    def __init__(self, data: bytes) -> None:
        self._value = int.from_bytes(data, "little")
        self._length = len(data) * 8
        self._pos = 0

    def read(self, width: int) -> int:
        if self._pos + width > self._length:
            raise Truncated("the data ended early")
        value = (self._value >> self._pos) & ((1 << width) - 1)
        self._pos += width
        return value

    def read_varint(self) -> int:
        value = 0
        for group in range(MAX_VARINT_GROUPS):
            byte = self.read(8)
            value |= (byte & 0x7F) << (7 * group)
            if not byte & 0x80:
                return value
        raise Truncated("a number is longer than any answer")

    @property
    def bytes_used(self) -> int:
        """Whole bytes consumed, counting a partly read byte (the writer pads to a byte)."""
        return (self._pos + 7) // 8

    def padding_is_zero(self) -> bool:
        """The unread bits of the last byte read are zero, as the writer leaves them."""
        end = self.bytes_used * 8
        return (self._value >> self._pos) & ((1 << (end - self._pos)) - 1) == 0


def write_byte_varint(value: int) -> bytes:
    writer = BitWriter()
    writer.write_varint(value)
    return writer.to_bytes()


def read_byte_varint(data: bytes, pos: int) -> tuple[int, int]:
    """A varint at ``pos`` in a byte string; returns the value and the position after it."""
    value = 0
    for group in range(MAX_VARINT_GROUPS):
        if pos >= len(data):
            raise Truncated("the data ended early")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << (7 * group)
        if not byte & 0x80:
            return value, pos
    raise Truncated("a number is longer than any answer")
