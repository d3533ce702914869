"""Topic classification for the catalogue.

    from generator.topics import load_taxonomy, load_overrides, classify
    tax = load_taxonomy(Path("site_config/topics.yml"))
    assignments = classify(papers, tax, overrides=load_overrides(Path("site_config/overrides.yml"), tax))
"""

from .classify import KeywordScorer, TopicAssignment, classify
from .taxonomy import Override, Taxonomy, TaxonomyError, Topic, load_overrides, load_taxonomy

__all__ = [
    "KeywordScorer",
    "Override",
    "Taxonomy",
    "TaxonomyError",
    "Topic",
    "TopicAssignment",
    "classify",
    "load_overrides",
    "load_taxonomy",
]
