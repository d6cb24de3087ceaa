"""qidu_nlp.schema: the names every floor shares, defined once.

Labels and slogan kinds (the annotation guide's), the span-group keys the components write,
the attributes a span carries, and the columns and types of the output tables. Every other
module takes them from here.

Examples
--------
>>> LABELS[0], ENTITY_LABELS[-1], SLOGAN_KINDS
('SLOGAN', 'DOC', ('numeric', 'motto', 'campaign', 'formula'))
>>> columns("errors")
['source', 'id', 'reason']
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

__all__ = [
    "SLOGAN", "QUANTITY", "THEME", "ENTITY_LABELS", "LABELS", "SLOGAN_KINDS",
    "SLOGANS_KEY", "QUANTITIES_KEY", "THEMES_KEY", "ENTS_KEY", "SPAN_ATTRS",
    "TABLES", "INDICATOR_STATUSES", "columns", "frame",
]

SLOGAN = "SLOGAN"
QUANTITY = "QUANTITY"
THEME = "THEME"
ENTITY_LABELS = ("VILLAGE", "PLACE", "ORG", "PROJECT", "PERSON", "EVENT", "DOC")
LABELS = (SLOGAN, *ENTITY_LABELS, QUANTITY)
SLOGAN_KINDS = ("numeric", "motto", "campaign", "formula")

# span groups written by the components (doc.ents for the entities)
SLOGANS_KEY = "slogans"
QUANTITIES_KEY = "quantities"
THEMES_KEY = "themes"
ENTS_KEY = "ents"

# attributes a span may carry (span._.qidu.NAME)
SPAN_ATTRS = ("kind", "norm", "frame", "score", "english", "value", "unit", "dimension", "si_value", "si_unit",
              "approx", "parts")

# column → type: "str" (str or None), "int" (int64), "Int" (nullable Int64), "float" (float64)
DOCUMENTS = {
    "id": "str", "title": "str", "date": "str", "year": "Int", "place": "str", "level": "str",
    "speaker": "str", "source": "str", "chars": "Int", "script": "str", "sentences": "Int",
    "paragraphs": "Int", "mentions": "Int", "status": "str",
}
MENTIONS = {
    "doc_id": "str", "year": "Int", "paragraph": "int", "sentence": "int", "section": "str", "label": "str",
    "kind": "str", "text": "str", "norm": "str", "start": "int", "end": "int", "value": "float", "unit": "str",
    "frame": "str", "score": "float", "parts": "str", "sentence_text": "str",
}
INDICATORS = {
    "doc_id": "str", "place": "str", "indicator": "str", "mention": "str", "value_low": "float",
    "value_high": "float", "unit": "str", "change_low": "float", "change_high": "float", "change_unit": "str",
    "direction": "str", "approx": "str", "status": "str", "period_start": "Int", "period_end": "Int",
    "sentence": "str", "start": "Int", "end": "Int",
}
# indicator statuses: a goal for one year, an achieved figure, a goal for several or later years,
# an average annual rate over several years
INDICATOR_STATUSES = ("target", "actual", "plan_target", "plan_average")
ERRORS = {"source": "str", "id": "str", "reason": "str"}
TABLES = {"documents": DOCUMENTS, "mentions": MENTIONS, "indicators": INDICATORS, "errors": ERRORS}


def columns(table: str) -> list[str]:
    """The columns of ``table``, in order.

    Examples
    --------
    >>> columns("indicators")[:3]
    ['doc_id', 'place', 'indicator']
    """
    return list(TABLES[table])


def _as_str(v):
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))  # a year or a number read back as 2024.0
    return str(v)


def frame(table: str, rows: Iterable[dict] | pd.DataFrame) -> pd.DataFrame:
    """Rows as the DataFrame of ``table``: its columns, in order, with their types.

    Parameters
    ----------
    table : {"documents", "mentions", "indicators", "errors"}
        The table.
    rows : iterable of dict, or DataFrame
        Missing columns are filled with None; other keys are dropped.

    Returns
    -------
    pandas.DataFrame
        Strings (or None) as ``object``, integers as ``int64`` or nullable ``Int64``, numbers
        as ``float64``: the same frame whether built in memory or read back from Parquet.

    Examples
    --------
    >>> f = frame("documents", [{"id": "a", "year": "2024", "chars": 10, "status": "ok"}])
    >>> f.loc[0, "year"], str(f["year"].dtype), f.loc[0, "title"] is None
    (np.int64(2024), 'Int64', True)
    """
    return typed(table, rows, columns(table))


def typed(table: str, rows, cols: list[str]) -> pd.DataFrame:
    """``rows`` with the columns ``cols`` of ``table``, each of its type (see :func:`frame`)."""
    spec = TABLES[table]
    # dtype=object: no string inference (pandas 3 would build Arrow strings, to be undone here)
    df = rows.reindex(columns=cols) if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows), columns=cols, dtype=object)
    out = {}
    for col in cols:
        s, kind = df[col], spec[col]
        if kind == "str":
            if pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty"):  # the usual case, no loop
                out[col] = s.astype(object).where(s.notna(), None)
            else:
                out[col] = pd.Series([_as_str(v) for v in s.tolist()], index=df.index, dtype=object)
        elif kind == "int":
            out[col] = pd.to_numeric(s).astype("int64")
        elif kind == "Int":
            out[col] = pd.to_numeric(s, errors="coerce").round().astype("Int64")
        else:
            out[col] = pd.to_numeric(s, errors="coerce").astype("float64")
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))
