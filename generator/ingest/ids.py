"""arXiv identifiers, in the one form the catalogue keeps: ``2401.01234`` or ``hep-th/9901001``, no version.

Every reader finds arXiv ids here: written as an id (``arXiv:2401.01234v2``) in a BibTeX ``eprint``
or a curator's ``arxiv_id``, or inside an ``arxiv.org/abs/`` or ``/pdf/`` link (an Atom entry's id,
a BibTeX ``url``). The id is the strongest duplicate key, so all readers must agree on it.
"""

from __future__ import annotations

import re

_ID = r"([0-9]{4}\.[0-9]{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/[0-9]{7})(?:v\d+)?"
_ARXIV_ID = re.compile(rf"^(?:arXiv:)?{_ID}$", re.IGNORECASE)
_ARXIV_URL = re.compile(rf"arxiv\.org/(?:abs|pdf)/{_ID}", re.IGNORECASE)
_ARXIV_NAMED = re.compile(rf"\barXiv:\s*{_ID}(?![\w.])", re.IGNORECASE)  # "arXiv preprint arXiv:1412.6980"


def parse_arxiv_id(text: str) -> str | None:
    """The id ``text`` is (``arXiv:2401.01234v2`` → ``2401.01234``), or None when it is not one."""
    match = _ARXIV_ID.match(text.strip())
    return match.group(1) if match else None


def find_arxiv_id(*candidates: str | None) -> str | None:
    """The first arXiv id among ``candidates``, each an id or text holding an ``arxiv.org`` link or an
    ``arXiv:`` id (a scholarly search's BibTeX: ``journal={arXiv preprint arXiv:1412.6980}``)."""
    for text in candidates:
        if not text:
            continue
        match = _ARXIV_ID.match(text.strip()) or _ARXIV_URL.search(text) or _ARXIV_NAMED.search(text)
        if match:
            return match.group(1)
    return None
