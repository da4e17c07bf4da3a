"""Exports beside the HTML page: PDF, Word, Excel workbook and per-table CSV."""
