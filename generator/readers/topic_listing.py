"""Topic listings from a papers index: a topic heading, then title, venue line, abstract blocks."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ..model import Paper, Rejected
from .base import Block, Detection, Document, PaperFields, Reader, is_chrome, looks_like_abstract, split_blocks
from .stream import Item, pair_records

_VENUE_WORDS = re.compile(
    r"\b(?:conference|proceedings|symposium|workshop|journal|transactions|neural information processing systems|"
    r"learning representations|machine learning|computational linguistics|computer vision|artificial intelligence|"
    r"neurips|nips|iclr|icml|acl|emnlp|naacl|cvpr|iccv|eccv|aaai|ijcai|kdd|colm|tmlr|jmlr|arxiv|preprint)\b",
    re.IGNORECASE,
)


def _venue_candidates(blocks: list[Block]) -> set[str]:
    """Short one-line blocks that sit between a title and an abstract and repeat, or name a venue."""
    counts: Counter[str] = Counter()
    for before, block, after in zip(blocks, blocks[1:], blocks[2:], strict=False):
        text = block.text.strip()
        if (
            len(block.lines) == 1
            and len(text) <= 120
            and not looks_like_abstract(before.text)
            and looks_like_abstract(after.text)
        ):
            counts[text] += 1
    return {text for text, n in counts.items() if n >= 2 or _VENUE_WORDS.search(text)}


class TopicListingReader(Reader):
    name = "topic-listing"
    label = "topic listing (topic heading; title, venue line, abstract)"

    def detect(self, doc: Document) -> Detection:
        blocks = [b for b in split_blocks(doc.lines) if not all(is_chrome(line) for line in b.lines)]
        venues = _venue_candidates(blocks)
        if not venues:
            return Detection(0.0, "no venue line between a title and an abstract")
        count = sum(1 for b in blocks if b.text.strip() in venues)
        return Detection(min(0.95, 0.6 + 0.05 * count), f"{count} title/venue/abstract triple(s), venue e.g. {sorted(venues)[0]!r}")

    def parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        blocks = [b for b in split_blocks(doc.lines) if not all(is_chrome(line) for line in b.lines)]
        venues = _venue_candidates(blocks)
        first_venue = next((i for i, b in enumerate(blocks) if b.text.strip() in venues), len(blocks))
        # Short blocks above the first title are the listing's heading: its topic.
        topic: str | None = None
        start = max(0, first_venue - 1)
        for block in blocks[:start]:
            if looks_like_abstract(block.text):
                start = blocks.index(block)
                break
            topic = block.text.strip()
            doc.notice(block.line, f"listing topic {topic!r} kept as a topic hint")
        hints = [topic] if topic else []
        items: list[Item] = []
        for block in blocks[start:]:
            text = block.text.strip()
            if text in venues:
                items.append(Item("venue", block, PaperFields(venue=text)))
            else:
                items.append(Item("text", block))
        for record in pair_records(self, doc, items):
            if isinstance(record, Paper):
                for hint in hints:
                    if hint not in record.topic_hints:
                        record.topic_hints.append(hint)
            yield record
