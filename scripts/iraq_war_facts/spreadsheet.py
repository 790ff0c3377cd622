"""Formula triggers: the characters that make a spreadsheet run a cell's text as a formula, and how writers defuse them.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by Excel, LibreOffice
and Google Sheets when a CSV file is opened (CSV injection). The hygiene check refuses such text in the package's own
files (unless it is a value of the field's type, such as a negative number). Writers of files meant for
spreadsheets defuse it as OWASP advises, by a leading single quote: the report's CSV tables get one
(:func:`neutralise`), and the XLSX export marks such cells as quoted text (Excel's own apostrophe prefix). Data
formats (JSON, Parquet, SQLite) keep the text as it is.
"""

from __future__ import annotations

import polars as pl

FORMULA_START = "=+-@\t\r"
PREFIX = "'"


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula."""
    return text.startswith(tuple(FORMULA_START))


def neutralised(text: str) -> str:
    """``text`` with a leading single quote when it starts like a formula."""
    return PREFIX + text if starts_formula(text) else text


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text cell that starts like a formula prefixed by a single quote; other cells unchanged."""
    pattern = "^[" + "".join(f"\\x{{{ord(c):X}}}" for c in FORMULA_START) + "]"
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text:
        return frame
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(pattern)).then(pl.lit(PREFIX) + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c in text
    )
