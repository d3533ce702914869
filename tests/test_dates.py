"""Listing dates (``Jul 13, 2023``, ``May 18``, ``Jun 9 2``) and year-less dates resolved against the capture date."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.ingest.dates import (
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    ListingDate,
    month_number,
    parse_iso_date,
    parse_listing_date,
    resolve_yearless_date,
)
from generator.site.urls import UNDATED, newest_months_first

PROPERTY = settings(max_examples=200, deadline=None)
SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
LONG = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December"]
dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31))


@pytest.mark.parametrize(
    ("text", "month", "day", "year", "upvotes"),
    [
        ("Jul 13, 2023", 7, 13, 2023, None),
        ("May 18", 5, 18, None, None),
        ("Apr 26, 2024 1", 4, 26, 2024, 1),
        ("Jun 9 2", 6, 9, None, 2),  # June 9 with 2 upvotes, not "June 92"
        ("Oct 16 1", 10, 16, None, 1),
        ("Mar 4 2", 3, 4, None, 2),
        ("Sep 19", 9, 19, None, None),
        ("Jul 13 2023", 7, 13, 2023, None),
        ("September 3, 2021 15", 9, 3, 2021, 15),
        ("sept. 3", 9, 3, None, None),
        ("  Dec 2, 2024 2  ", 12, 2, 2024, 2),
        ("9 Jun", 6, 9, None, None),  # day first
        ("13 July, 2023", 7, 13, 2023, None),
        ("13 Jul 2023 4", 7, 13, 2023, 4),
        ("2023-07-13", 7, 13, 2023, None),
        ("Published on Jul 31, 2024", 7, 31, 2024, None),
        ("Submitted on 13 Jul 2023", 7, 13, 2023, None),
        ("Friday, Dec 12, 2025", 12, 12, 2025, None),
        ("Thu Dec 11", 12, 11, None, None),
    ],
)
def test_listing_dates_as_the_pages_print_them(text, month, day, year, upvotes) -> None:
    assert parse_listing_date(text) == ListingDate(month=month, day=day, year=year, upvotes=upvotes)


@pytest.mark.parametrize(
    "text",
    ["Jun 92", "Feb 30", "Feb 30, 2024", "Jun 0", "Foo 9", "92 Jun", "Jun", "Daily Papers", "Jun 9, 2024, 3", "",
     "2023-13-01", "2023-02-30", "Published on", "Montreal 13 Jul", "Fridays Jul 13"],
)
def test_text_that_is_not_a_listing_date(text: str) -> None:
    assert parse_listing_date(text) is None


def test_feb_29_needs_a_leap_year() -> None:
    assert parse_listing_date("Feb 29, 2024") == ListingDate(2, 29, 2024, None)
    assert parse_listing_date("Feb 29, 2023") is None
    assert parse_listing_date("Feb 29") == ListingDate(2, 29, None, None)  # may be a leap day: the capture year decides


def _render(date: dt.date, with_year: bool, upvotes: int | None, long_names: bool, comma: bool, case: str) -> str:
    month = (LONG if long_names else SHORT)[date.month - 1]
    month = {"title": month, "lower": month.lower(), "upper": month.upper()}[case]
    text = f"{month} {date.day}"
    if with_year:
        text += (", " if comma else " ") + str(date.year)
    if upvotes is not None:
        text += f" {upvotes}"
    return text


@PROPERTY
@given(
    dates,
    st.booleans(),
    st.one_of(st.none(), st.integers(min_value=0, max_value=9_999_999)),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["title", "lower", "upper"]),
)
def test_parse_listing_date_round_trips(date, with_year, upvotes, long_names, comma, case) -> None:
    if not with_year and upvotes is not None:
        # "Jun 9 2024" reads as a year: a year-less date's upvote count is never a plausible year here.
        assume(not 1900 <= upvotes <= 2099)
    parsed = parse_listing_date(_render(date, with_year, upvotes, long_names, comma, case))
    assert parsed is not None
    assert (parsed.month, parsed.day) == (date.month, date.day)
    assert parsed.year == (date.year if with_year else None)
    assert parsed.upvotes == upvotes
    if with_year:
        assert parsed.resolve(None) == date


@PROPERTY
@given(st.dates(min_value=dt.date(1951, 1, 1), max_value=dt.date(2099, 12, 31)), dates)
def test_a_yearless_date_never_lands_after_the_capture_date(captured: dt.date, printed: dt.date) -> None:
    resolved = resolve_yearless_date(printed.month, printed.day, captured)
    if resolved is None:
        # Only a leap day with no Feb 29 in the year up to the capture date has no answer.
        assert (printed.month, printed.day) == (2, 29)
        return
    assert (resolved.month, resolved.day) == (printed.month, printed.day)
    assert resolved <= captured
    # In the capture year or the one before; any other day within the twelve months before the
    # capture. A leap day is the last Feb 29 of that window (Feb 29, 2000 for a page captured
    # on Mar 2 or Dec 31, 2001: there was no Feb 29 since).
    assert resolved.year in (captured.year, captured.year - 1)
    if (printed.month, printed.day) != (2, 29):
        assert (captured - resolved).days < 366
    elif resolved.year == captured.year - 1:
        assert not (calendar.isleap(captured.year) and captured >= dt.date(captured.year, 2, 29))


@PROPERTY
@given(st.dates(min_value=dt.date(1951, 1, 1), max_value=dt.date(2099, 12, 31)), st.integers(0, 364))
def test_resolution_finds_every_day_of_the_past_year(captured: dt.date, days_back: int) -> None:
    day = captured - dt.timedelta(days=days_back)
    assert resolve_yearless_date(day.month, day.day, captured) == day


@pytest.mark.parametrize(
    ("printed", "captured", "expected"),
    [
        ("May 18", dt.date(2025, 12, 12), dt.date(2025, 5, 18)),
        ("Dec 12", dt.date(2025, 12, 12), dt.date(2025, 12, 12)),  # the capture day itself
        ("Dec 13", dt.date(2025, 12, 12), dt.date(2024, 12, 13)),  # one day later: last year
        ("Dec 30", dt.date(2025, 1, 5), dt.date(2024, 12, 30)),
        ("Jun 9 2", dt.date(2025, 11, 13), dt.date(2025, 6, 9)),
        ("Feb 29", dt.date(2025, 3, 1), dt.date(2024, 2, 29)),
        ("Feb 29", dt.date(2024, 3, 1), dt.date(2024, 2, 29)),
        ("Feb 29", dt.date(2001, 3, 1), dt.date(2000, 2, 29)),  # the last leap day: a year and a day back
    ],
)
def test_yearless_examples(printed: str, captured: dt.date, expected: dt.date) -> None:
    parsed = parse_listing_date(printed)
    assert parsed is not None
    assert parsed.resolve(captured) == expected


def test_leap_day_outside_the_window_has_no_date() -> None:
    assert resolve_yearless_date(2, 29, dt.date(2023, 6, 1)) is None  # neither 2023 nor 2022 is a leap year


def test_yearless_date_without_a_capture_date_stays_unknown() -> None:
    parsed = parse_listing_date("May 18")
    assert parsed is not None and parsed.resolve(None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024", ("2024-01-01", "year")),
        (2024, ("2024-01-01", "year")),
        ("2024-07", ("2024-07-01", "month")),
        ("2024-07-13", ("2024-07-13", "day")),
        (dt.date(2024, 7, 13), ("2024-07-13", "day")),
        (dt.datetime(2024, 7, 13, 10, 30), ("2024-07-13", "day")),
        ("Jul 13, 2023", ("2023-07-13", "day")),
        ("2024-13", None),
        ("2024-02-30", None),
        ("May 18", None),  # a curator's date needs a year
        ("soon", None),
        (None, None),
        (True, None),
    ],
)
def test_curator_dates(value, expected) -> None:
    assert parse_iso_date(value) == expected


@pytest.mark.parametrize(
    ("text", "month"),
    [("jul", 7), ("July", 7), (" SEPT ", 9), ("7", 7), ("07", 7), ("12", 12), ("13", None), ("0", None), ("²", None), ("", None)],
)
def test_bibtex_month_field(text: str, month: int | None) -> None:
    assert month_number(text) == month


def test_one_list_of_month_names_for_listings_pages_and_bibtex() -> None:
    assert MONTH_NAMES[8] == "September" and MONTH_ABBREVIATIONS[8] == "sep"
    assert parse_listing_date("Sept 3, 2024") == parse_listing_date("September 3, 2024") == parse_listing_date("sep 3 2024")


def test_months_newest_first_and_undated_last() -> None:
    assert newest_months_first(["2023-11", UNDATED, "2024-02", "2023-01"]) == ["2024-02", "2023-11", "2023-01", UNDATED]
    assert newest_months_first({"2024-01": 1}) == ["2024-01"]
