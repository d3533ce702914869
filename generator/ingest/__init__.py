"""The ingest stage: decode → read (``generator.readers``) → normalize → merge duplicates → assign ids.

``ingest_content`` runs the whole stage over a content folder and returns one ``IngestResult``.
"""

from .pipeline import (
    FileReport,
    IngestResult,
    ingest_content,
    ingest_messages,
    listing_files,
    read_listing,
    summary_table,
)

__all__ = [
    "FileReport", "IngestResult", "ingest_content", "ingest_messages", "listing_files", "read_listing", "summary_table",
]
