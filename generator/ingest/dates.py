"""Dates as listings print them, and the year-less ones resolved against the capture date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..model import DatePrecision

# Month names in English whatever the locale: listings print them so, and the pages show them so.
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
MONTH_ABBREVIATIONS = tuple(name[:3].lower() for name in MONTH_NAMES)  # also BibTeX's month macros
# Every spelling a listing uses, lower-case: "jul", "july", "sept", ...
MONTHS = {name: number for number, full in enumerate(MONTH_NAMES, start=1) for name in (full[:3].lower(), full.lower())}
MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))

# "Jul 13, 2023", "Jul 13 2023", "May 18", each optionally followed by an upvote count.
# A year is four digits in 1900-2099; any other trailing number is an upvote count.
LISTING_DATE = re.compile(
    rf"^(?P<month>{_MONTH_NAMES})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    r"(?:(?:,\s*|\s+)(?P<year>(?:19|20)\d\d)(?!\d))?"
    r"(?:\s+(?P<upvotes>\d{1,7}))?$",
    re.IGNORECASE,
)
# The same date written day first ("13 Jul 2023", "13th July, 2023") or year first ("2023-07-13", "2023/7/13").
_DAY_FIRST = re.compile(
    rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_NAMES})\.?(?:,?\s+(?P<year>(?:19|20)\d\d)(?!\d))?"
    r"(?:\s+(?P<upvotes>\d{1,7}))?$",
    re.IGNORECASE,
)
_DOTTED = re.compile(r"^(?P<day>\d\d?)\.(?P<month>\d\d?)\.(?P<year>(?:19|20)\d\d)(?:\s+(?P<upvotes>\d{1,7}))?$")  # "11.12.2024"
_ISO = re.compile(r"^(?P<year>(?:19|20)\d\d)([-/.])(?P<month>\d\d?)\2(?P<day>\d\d?)(?:\s+(?P<upvotes>\d{1,7}))?$")
# What may stand before a date: "Published on", "Submitted on", "Date:", a weekday ("Friday, Dec 12, 2025").
_DATE_PREFIX = re.compile(
    r"^(?:(?:published|submitted|posted|updated|date)(?:\s+on)?\s*:?\s+)?"
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?",
    re.IGNORECASE,
)


def month_number(text: str) -> int | None:
    """The month a BibTeX ``month`` field names: ``jul``, ``July``, ``7`` or ``07`` → 7; None otherwise."""
    key = text.strip().lower()[:3]
    if re.fullmatch(r"[0-9]{1,2}", key):
        return int(key) if 1 <= int(key) <= 12 else None
    return MONTHS.get(key)


@dataclass(frozen=True, slots=True)
class ListingDate:
    """A date as printed in a listing: the year may be missing."""

    month: int
    day: int
    year: int | None
    upvotes: int | None

    def resolve(self, captured: dt.date | None) -> dt.date | None:
        """The calendar date, taking a missing year from the capture date (None when it can't be known)."""
        if self.year is not None:
            return _safe_date(self.year, self.month, self.day)
        if captured is None:
            return None
        return resolve_yearless_date(self.month, self.day, captured)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None

# What OpenReview and preprint servers print after the day a paper was posted: "…, Last Modified: 02 Mar 2025",
# "… (v1), last revised 5 Mar 2025 (this version, v2)", "27 Sept 2025 (modified: 08 Oct 2025)".
_REVISED = re.compile(
    r"\s*(?:\(v\d{1,3}\)|[,;(]\s*(?:last\s+(?:modified|updated|revised)|modified|updated|revised)\b).*$", re.IGNORECASE
)


def _date_match(text: str) -> re.Match[str] | None:
    """The date line ``text`` is written as, whether or not it names a day there is."""
    text = text.strip()
    prefix = _DATE_PREFIX.match(text)
    text = text[prefix.end() :] if prefix else text
    text = _REVISED.sub("", text)
    return LISTING_DATE.match(text) or _DAY_FIRST.match(text) or _ISO.match(text) or _DOTTED.match(text)


def written_as_date(text: str) -> bool:
    """Whether ``text`` is written as a date line, a day there is or not (``Feb 30, 2024``)."""
    return _date_match(text) is not None


def parse_listing_date(text: str) -> ListingDate | None:
    """Parse ``Jul 13, 2023``, ``Jun 9 2`` (year-less, 2 upvotes) and the like; None if it is not a date line.

    Also ``13 Jul 2023``, ``Dec 11th``, ``2023-07-13``, ``2023/7/13``, and any of them after ``Published on`` or a weekday.
    """
    match = _date_match(text)
    if match is None:
        return None
    named = match.group("month")
    month = int(named) if named.isdigit() else MONTHS[named.lower()]
    day = int(match.group("day"))
    year = int(match.group("year")) if match.group("year") else None
    if not 1 <= day <= 31 or _safe_date(year or 2000, month, day) is None:
        return None
    upvotes = int(match.group("upvotes")) if match.group("upvotes") else None
    return ListingDate(month=month, day=day, year=year, upvotes=upvotes)


_MONTH_VIEW = re.compile(rf"^(?P<month>{_MONTH_NAMES})\.?,?\s+(?P<year>(?:19|20)\d\d)$", re.IGNORECASE)  # "December 2025"
_WEEK_VIEW = re.compile(r"^week\s+(?P<week>\d{1,2}),?\s+(?P<year>(?:19|20)\d\d)$", re.IGNORECASE)  # "Week 50, 2025"


def parse_month_year(text: str) -> tuple[int, int] | None:
    """``December 2025`` → ``(2025, 12)``; None when ``text`` is not a month and its year."""
    if match := _MONTH_VIEW.match(text.strip()):
        return int(match.group("year")), MONTHS[match.group("month").lower()]
    return None


def parse_page_period(text: str) -> ListingDate | None:
    """The last day of the month or week a page of papers shows (``December 2025``, ``Week 50, 2025``); None otherwise."""
    text = text.strip()
    if (month_view := parse_month_year(text)) is not None:
        year, month = month_view
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        return ListingDate(month=month, day=last, year=year, upvotes=None)
    if match := _WEEK_VIEW.match(text):
        try:
            sunday = dt.date.fromisocalendar(int(match.group("year")), int(match.group("week")), 7)
        except ValueError:
            return None
        return ListingDate(month=sunday.month, day=sunday.day, year=sunday.year, upvotes=None)
    return None


def resolve_yearless_date(month: int, day: int, captured: dt.date) -> dt.date | None:
    """The latest ``month``/``day`` on or before the capture date (``Dec 30`` captured Jan 5 is last year).

    A page shows a year-less date only for the past twelve months, so the answer is in the capture
    year or the one before; ``Feb 29`` with no leap day in that window is no date (None).
    """
    for year in (captured.year, captured.year - 1):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate <= captured:
            return candidate
    return None


def parse_iso_date(value: object) -> tuple[str, DatePrecision] | None:
    """Parse a curator's date (``2024``, ``2024-07`` or ``2024-07-13``, or a YAML date) into (iso, precision)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat(), "day"
    if isinstance(value, int) and 1000 <= value <= 9999:
        return f"{value:04d}-01-01", "year"
    if not isinstance(value, str):
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-01-01", "year"
    if re.fullmatch(r"\d{4}-\d{2}", text) and _safe_date(int(text[:4]), int(text[5:]), 1):
        return f"{text}-01", "month"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        parsed = _safe_date(int(text[:4]), int(text[5:7]), int(text[8:]))
        return (parsed.isoformat(), "day") if parsed else None
    listing = parse_listing_date(text)
    if listing and listing.year:
        resolved = listing.resolve(None)
        return (resolved.isoformat(), "day") if resolved else None
    return None
