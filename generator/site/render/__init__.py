"""Rendering the site's pages: in shards, in parallel or on a cluster, and only what changed.

``build_pages(config, options, ...)`` is ``mkdocs build`` for an already loaded MkDocs
configuration; :class:`RenderOptions` says how many processes render (``jobs``), whether a Dask
cluster does (``cluster``) and where the incremental state lives (``state_dir``).
"""

from .engine import RenderOptions, RenderReport, build_pages

__all__ = ["RenderOptions", "RenderReport", "build_pages"]
