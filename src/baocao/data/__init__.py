"""Data: the catalogue, units, observations and the figures computed from them (pure; no file access)."""
