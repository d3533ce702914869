"""Turning a listing file's bytes into text: encodings, BOMs, line endings, binary files."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

BINARY_SAMPLE = 8192


class UndecodableFile(ValueError):
    """The file is not text a reader can use: empty, binary, or in an unknown encoding."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    notes: tuple[str, ...]


def decode_listing(data: bytes) -> Decoded:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 / Latin-1; line endings become ``\\n``."""
    notes: list[str] = []
    if not data.strip():
        raise UndecodableFile("the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise UndecodableFile(f"starts with a UTF-16 byte-order mark but is not UTF-16 ({err.reason})") from None
    else:
        sample = data[:BINARY_SAMPLE]
        # A few stray NULs in a text listing are removed below; a binary file has many.
        if sample.count(b"\x00") > max(8, len(sample) // 100):
            raise UndecodableFile("binary file (NUL bytes): not a text listing")
        controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
        if controls > max(8, len(sample) // 100):
            raise UndecodableFile("binary file (control bytes): not a text listing")
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
            if data.startswith(codecs.BOM_UTF8):
                notes.append("removed a UTF-8 byte-order mark")
        except UnicodeDecodeError as err:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1"), "latin-1"
            notes.append(f"not UTF-8 (byte {err.start}): decoded as {encoding}")
    if "\r" in text:
        notes.append("CRLF line endings" if "\r\n" in text else "CR line endings")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        notes.append(f"removed {text.count(chr(0))} NUL character(s), the first on line {line}")
        text = text.replace("\x00", "")
    if text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(text=text, encoding=encoding, notes=tuple(notes))
