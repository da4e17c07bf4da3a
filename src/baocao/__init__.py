"""baocao — reproducible report notebooks for Vietnamese local-government indicators."""

__version__ = "0.1.0"
