"""Turning a listing file's bytes into text: encodings, BOMs, line endings, binary files."""

from __future__ import annotations

import codecs
import itertools
import re
from dataclasses import dataclass

from ..text import CJK_CHARACTER

BINARY_SAMPLE = 8192


class UndecodableFile(ValueError):
    """The file is not text a reader can use: empty, binary, or in an unknown encoding."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    notes: tuple[str, ...]


MAX_STRAYS = 16  # bytes that are not UTF-8 in a UTF-8 file before the whole file is taken for Windows-1252
MIXED_UTF8 = 3  # valid UTF-8 characters beyond ASCII that keep a file with more stray bytes UTF-8


def decode_listing(data: bytes) -> Decoded:
    """Decode UTF-8 (with or without BOM), UTF-16 (with BOM, or told by its NUL bytes), else Windows-1252 / Latin-1.

    A UTF-8 file with a few bytes that are not UTF-8 (a Latin-1 "é" pasted into it) keeps its
    UTF-8 text; only those bytes are read as Windows-1252, and a note says where. Line endings become ``\\n``.
    """
    notes: list[str] = []
    if not _without_bom(data).strip():
        raise UndecodableFile("the file is empty")
    marked = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    utf16 = None if marked else _utf16_without_bom(data[:BINARY_SAMPLE])
    if marked or utf16:
        try:
            text, encoding = data.decode(utf16 or "utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise UndecodableFile(f"starts with a UTF-16 byte-order mark but is not UTF-16 ({err.reason})") from None
        if utf16:
            notes.append(f"decoded as {utf16.upper()} (no byte-order mark)")
        if not text.strip():
            raise UndecodableFile("the file is empty")
    else:
        sample = data[:BINARY_SAMPLE]
        # A few stray NULs in a text listing are removed below; a binary file has many.
        if sample.count(b"\x00") > max(8, len(sample) // 100):
            raise UndecodableFile("binary file (NUL bytes): not a text listing")
        controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
        if controls > max(8, len(sample) // 100):
            raise UndecodableFile("binary file (control bytes): not a text listing")
        if data.startswith(codecs.BOM_UTF8):
            notes.append("removed a UTF-8 byte-order mark")
            data = data[len(codecs.BOM_UTF8):]
        text, encoding, strays, first = _utf8_or_windows(data)
        if strays and encoding == "utf-8":
            line = data.count(b"\n", 0, first) + 1
            notes.append(f"{strays} byte(s) that are not UTF-8 read as Windows-1252, the first on line {line}")
        elif strays:
            notes.append(f"not UTF-8 (byte {first}): decoded as {encoding}")
    if "\r" in text:
        # "\r\r\n": a CRLF file saved again by a program that wrote its "\n" as "\r\n"; one line end, not two.
        ending = next(e for e in ("\r\r\n", "\r\n", "\r") if e in text)
        notes.append({"\r\r\n": "CR CR LF line endings", "\r\n": "CRLF line endings", "\r": "CR line endings"}[ending])
        text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        notes.append(f"removed {text.count(chr(0))} NUL character(s), the first on line {line}")
        text = text.replace("\x00", "")
    if text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(text=text, encoding=encoding, notes=tuple(notes))


def _utf16_without_bom(sample: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` for text in UTF-16 without its byte-order mark (every other byte NUL)."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for nuls, other, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls.count(0) >= 0.6 * len(nuls) and other.count(0) <= 0.05 * len(other):
            return name
    return None


def _without_bom(data: bytes) -> bytes:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            return data[len(bom) :]
    return data


def _windows_1252(byte: int) -> str:
    """A byte read as Windows-1252; the five bytes it leaves undefined as Latin-1."""
    return chr(byte) if byte in _UNDEFINED_1252 else bytes((byte,)).decode("cp1252")


_UNDEFINED_1252 = frozenset((0x81, 0x8D, 0x8F, 0x90, 0x9D))
_UTF8_CHARACTER = re.compile("[^\x00-\x7f\udc80-\udcff]")  # a character beyond ASCII that was valid UTF-8
_STRAY = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as the "surrogateescape" error handler keeps it


def _utf8_or_windows(data: bytes) -> tuple[str, str, int, int]:
    """``(text, encoding, bytes that were not UTF-8, offset of the first)``, decoded in one pass.

    UTF-8 with at most ``MAX_STRAYS`` bad bytes keeps its UTF-8 text, those bytes read as
    Windows-1252; a file with no valid UTF-8 beyond ASCII reads the same either way. So does a
    file with more bad bytes but also UTF-8 text of its own (``MIXED_UTF8`` characters or more:
    a UTF-8 page and a Windows-1252 one saved into one file); bytes of a single-byte encoding
    seldom make that many valid UTF-8 characters by chance. Otherwise the file is in a
    single-byte encoding, Windows-1252 (Latin-1 where that fails).
    """
    text = data.decode("utf-8", errors="surrogateescape")
    found = [m.start() for m in itertools.islice(_STRAY.finditer(text), MAX_STRAYS + 1)]
    if not found:
        return text, "utf-8", 0, 0
    first = len(text[: found[0]].encode("utf-8", errors="surrogateescape"))
    # Chinese, Japanese or Korean bytes make some valid UTF-8 by chance: asked before that counts.
    east_asian = _east_asian(data) if len(found) > MAX_STRAYS else None
    if east_asian is not None:
        return east_asian[0], east_asian[1], len(found), first
    utf8 = sum(1 for _ in itertools.islice(_UTF8_CHARACTER.finditer(text), MIXED_UTF8))
    if len(found) <= MAX_STRAYS or utf8 >= MIXED_UTF8:
        strays = len(found) if len(found) <= MAX_STRAYS else len(_STRAY.findall(text))
        repaired = _STRAY.sub(lambda m: _windows_1252(ord(m.group()) - 0xDC00), text)
        return repaired, "utf-8" if utf8 else "cp1252", strays, first
    try:
        return data.decode("cp1252"), "cp1252", len(found), first
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1", len(found), first


# The multi-byte encodings of Chinese, Japanese and Korean text, as charset_normalizer names them.
_EAST_ASIAN = frozenset((
    "gb18030", "gbk", "gb2312", "hz", "big5", "big5hkscs", "cp950",
    "cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213", "euc_jp", "euc_jis_2004", "euc_jisx0213",
    "iso2022_jp", "cp949", "euc_kr", "johab", "iso2022_kr",
))
# Their letters (text.CJK_CHARACTER), and their punctuation and full-width forms.
_EAST_ASIAN_CHARACTER = re.compile(f"{CJK_CHARACTER.pattern}|[\u3000-\u303f\uff00-\uffef]")
MIN_EAST_ASIAN_SHARE = 0.6  # of the characters beyond ASCII: Chinese, Japanese or Korean ones


def _east_asian(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` for a file in GB18030, Big5, Shift-JIS, EUC-JP or EUC-KR; else None.

    Asked only of a file that is not UTF-8. charset_normalizer weighs the candidate encodings; its
    answer is taken only when it is one of these and the text it gives is mostly Chinese, Japanese
    or Korean characters (a Windows-1252 file read as one of them gives odd characters, not words).
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding not in _EAST_ASIAN:
        return None
    text = str(best)
    beyond_ascii = sum(1 for c in text if ord(c) > 0x7F)
    if not beyond_ascii or len(_EAST_ASIAN_CHARACTER.findall(text)) < MIN_EAST_ASIAN_SHARE * beyond_ascii:
        return None
    return text, best.encoding.replace("_", "-")
