"""Stable, URL- and file-system-safe paper ids."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from ..text import cut_at_word, slugify

__all__ = ["MAX_SLUG", "RESERVED", "assign_ids", "base_slug", "content_hash", "slugify"]

MAX_SLUG = 80
# Names some file systems or the site itself reserve: a paper may never be called that.
RESERVED = {
    "con", "prn", "aux", "nul", "index", "search", "assets", "sitemap", "404",
    *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)),
}


def content_hash(*parts: str, length: int = 6) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def base_slug(title: str) -> str:
    """The id a title asks for before collisions are resolved: slug, shortened at a word, never reserved or empty."""
    slug = slugify(title)
    if not slug:
        return "paper-" + content_hash(title, length=8)
    if len(slug) > MAX_SLUG:
        # Two long titles may share their first 80 characters: the hash of the whole title keeps them apart.
        cut = cut_at_word(slug, MAX_SLUG - 7, keep=MAX_SLUG // 2, boundary="-")
        slug = f"{cut.strip('-')}-{content_hash(title)}"
    if slug in RESERVED:
        slug += "-paper"
    return slug


def assign_ids(items: Iterable[tuple[str, str]]) -> list[str]:
    """Ids for ``(title, fingerprint)`` pairs, in order.

    A paper keeps its plain slug unless another paper asks for the same one; then every paper of
    that slug gets a suffix from its own fingerprint, so no id depends on the order of the input.
    """
    pairs = list(items)
    wanted = [base_slug(title) for title, _ in pairs]
    groups: dict[str, list[int]] = defaultdict(list)
    for index, slug in enumerate(wanted):
        groups[slug].append(index)
    ids = list(wanted)
    for slug, members in groups.items():
        if len(members) == 1:
            continue
        seen: set[str] = set()
        for index in members:
            title, fingerprint = pairs[index]
            length = 6
            candidate = f"{slug}-{content_hash(title, fingerprint, length=length)}"
            while candidate in seen:  # identical title and fingerprint: lengthen with the position
                length += 1
                candidate = f"{slug}-{content_hash(title, fingerprint, str(index), length=length)}"
            seen.add(candidate)
            ids[index] = candidate
    return ids
