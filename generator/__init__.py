"""papercat: a static site generator for a research-paper catalogue."""

__version__ = "0.1.0"
