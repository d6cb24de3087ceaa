"""qidu_nlp.indicators: the indicator table of a corpus, what was promised and what was kept.

The rows come from :func:`qidu_nlp.rules.indicators.extract_text` (one per indicator statement;
``Result.indicators`` for a corpus run). :func:`to_frame` makes them a typed table,
:func:`series` gives one row per year for one indicator (``"GDP growth"``, ``"CPI"``,
``"粮食产量"``…) and one status (targets, actuals), and :func:`compare` lines targets up with the
outcomes of the same years.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from .rules.indicators import COLUMNS, load_table
from .schema import frame

__all__ = ["to_frame", "series", "compare", "COLUMNS", "SERIES_COLUMNS", "COMPARE_COLUMNS"]

SERIES_COLUMNS = ["year", "low", "high", "approx", "unit", "indicator", "status", "place", "sentence", "doc"]
COMPARE_COLUMNS = ["place", "indicator", "year", "target_low", "target_high", "target_approx", "actual", "unit", "gap",
                   "met", "target_doc", "actual_doc"]


def to_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Indicator rows as a DataFrame with the columns :data:`COLUMNS` (also when empty).

    Examples
    --------
    >>> list(to_frame([]).columns) == COLUMNS
    True
    """
    return frame("indicators", rows)


def _table_and_years(data) -> tuple[pd.DataFrame, dict]:
    """The indicator table of a Result, DataFrame or rows, and the report year of each document."""
    years = {}
    if hasattr(data, "indicators") and hasattr(data, "documents"):
        docs = data.documents
        years = {d: int(y) for d, y in zip(docs["id"], docs["year"]) if pd.notna(y)}
        data = data.indicators
    df = data if isinstance(data, pd.DataFrame) else to_frame(data)
    return df.reindex(columns=COLUMNS), years


def series(data, name: str, *, status: str = "target", place: str | None = None) -> pd.DataFrame:
    """One row per year of one indicator: its target (or actual) level or change, as stated.

    Only statements about one year count (``period_start == period_end``). When several
    documents state a number for the same year, the one stated closest to it wins: for a target
    the report of that year, for an actual the report of the next year; then the first in
    document order (the target list before the paragraph explaining it).

    Parameters
    ----------
    data : Result, DataFrame or iterable of dict
        A corpus result (``Result.indicators`` with its documents' years), or indicator rows.
    name : str
        An indicator id (``"GDP"``: its level), an id with `` growth`` (``"GDP growth"``: its
        change), or a Chinese name (国内生产总值, 经济增长 …); see
        :meth:`qidu_nlp.rules.indicators.IndicatorTable.resolve`.
    status : {"target", "actual", "plan_target", "plan_average"}
    place : str, optional
        Only statements of this place.

    Returns
    -------
    DataFrame
        Columns :data:`SERIES_COLUMNS`: ``year``, ``low``, ``high`` (equal for one number),
        ``approx``, ``unit``, ``indicator``, ``status``, ``place``, ``sentence``, ``doc``.

    Examples
    --------
    >>> rows = [
    ...     {"doc_id": "r2019", "indicator": "GDP", "change_low": 6.0, "change_high": 6.5, "change_unit": "%",
    ...      "status": "target", "period_start": 2019, "period_end": 2019, "sentence": "国内生产总值增长6%－6.5%"},
    ...     {"doc_id": "r2019", "indicator": "energy intensity", "change_low": -3.0, "change_high": -3.0,
    ...      "change_unit": "%", "status": "target", "period_start": 2019, "period_end": 2019}]
    >>> series(rows, "GDP growth")[["year", "low", "high", "unit", "doc"]].values.tolist()
    [[2019, 6.0, 6.5, '%', 'r2019']]
    """
    df, years = _table_and_years(data)
    ident, field = _resolve(load_table(), name, df)
    low, high, unit = (("change_low", "change_high", "change_unit") if field == "change"
                       else ("value_low", "value_high", "unit"))
    keep = (df["indicator"] == ident) & (df["status"] == status) & df[low].notna() & df["period_start"].notna() \
        & (df["period_start"] == df["period_end"])
    if place is not None:
        keep &= df["place"].fillna("") == place
    sel = df[keep].copy()
    if sel.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    units = sel[unit].value_counts()
    sel = sel[sel[unit] == units.index[0]] if len(units) else sel
    sel["_order"] = range(len(sel))
    offset = 1 if status == "actual" else 0
    sel["_distance"] = [abs(years.get(d, p + offset) - (p + offset)) for d, p in zip(sel["doc_id"], sel["period_start"])]
    sel = sel.sort_values(["period_start", "_distance", "_order"]).drop_duplicates("period_start")
    text = {  # dtype object: strings stay str and missing values None (pandas 3 would build NaN-holding strings)
        "approx": sel["approx"], "unit": sel[unit], "place": sel["place"], "sentence": sel["sentence"], "doc": sel["doc_id"],
    }
    out = pd.DataFrame({
        "year": sel["period_start"].astype(int).to_numpy(), "low": sel[low].to_numpy(dtype=float),
        "high": sel[high].to_numpy(dtype=float), "indicator": ident, "status": status,
        **{k: pd.Series([v if isinstance(v, str) else None for v in col], dtype=object) for k, col in text.items()},
    }, columns=SERIES_COLUMNS)
    return out.reset_index(drop=True)


def compare(data, name: str | None = None, *, place: str | None = None, tolerance: float = 0.0) -> pd.DataFrame:
    """Line up the targets of an indicator with the outcomes of the same years.

    For each year the target (:func:`series` with ``status="target"``) meets the actual
    (``status="actual"``). ``gap`` is how far the actual lies beyond the target, in the target's
    unit: above its lower bound, or, for ceilings (prices, unemployment, energy intensity:
    ``lower_is_better`` in the table, or a target written 以内/以下), below its upper bound. A
    target is ``met`` when the gap is not below ``-tolerance`` for targets written 左右 (about),
    not below 0 for the others.

    Parameters
    ----------
    data : Result, DataFrame or iterable of dict
    name : str, optional
        The indicator (see :func:`series`); None: every indicator with both a target and an
        actual (changes where stated, else levels).
    place : str, optional
    tolerance : float
        How far short of an "about" (左右) target still counts as met (0.1 reads 6.9 as meeting
        7%左右); 0 by default.

    Returns
    -------
    DataFrame
        Columns :data:`COMPARE_COLUMNS`.

    Examples
    --------
    >>> rows = [
    ...     {"place": "中国", "indicator": "GDP", "period_start": 2023, "period_end": 2023, "status": "target",
    ...      "change_low": 5.0, "change_high": 5.0, "change_unit": "%", "approx": "about", "doc_id": "a"},
    ...     {"place": "中国", "indicator": "GDP", "period_start": 2023, "period_end": 2023, "status": "actual",
    ...      "change_low": 5.2, "change_high": 5.2, "change_unit": "%", "doc_id": "b"}]
    >>> compare(rows, "GDP growth")[["year", "target_low", "actual", "met"]].values.tolist()
    [[2023, 5.0, 5.2, True]]
    """
    table = load_table()
    df, _ = _table_and_years(data)
    names = [name] if name else _names(df)
    frames = []
    for nm in names:
        ident, _ = _resolve(table, nm, df)
        places = [place] if place is not None else sorted(df.loc[df["indicator"] == ident, "place"].fillna("").unique())
        for pl in places:
            t = series(data, nm, status="target", place=pl)
            a = series(data, nm, status="actual", place=pl)
            merged = t.merge(a, on="year", suffixes=("_t", "_a"))
            if merged.empty:
                continue
            lower = ident in table.by_id and table.by_id[ident].lower_is_better
            gaps = [round(hi - act, 10) if (lower or ap == "under") else round(act - lo, 10)
                    for lo, hi, ap, act in zip(merged["low_t"], merged["high_t"], merged["approx_t"], merged["low_a"])]
            frames.append(pd.DataFrame({
                "place": pl or None, "indicator": ident, "year": merged["year"],
                "target_low": merged["low_t"], "target_high": merged["high_t"], "target_approx": merged["approx_t"],
                "actual": merged["low_a"], "unit": merged["unit_t"], "gap": gaps,
                "met": [bool(gap >= (-tolerance if ap == "about" else 0.0)) for gap, ap in zip(gaps, merged["approx_t"])],
                "target_doc": merged["doc_t"], "actual_doc": merged["doc_a"],
            }))
    if not frames:
        return pd.DataFrame(columns=COMPARE_COLUMNS)
    return pd.concat(frames, ignore_index=True)[COMPARE_COLUMNS]


def _resolve(table, name: str, df: pd.DataFrame) -> tuple[str, str]:
    """The indicator and field a name asks for: the table's (:meth:`IndicatorTable.resolve`), else an
    indicator of the data that the table does not name (its Chinese words, found by syntax), with
    `` growth``/`` change`` asking for the change.

    >>> _resolve(load_table(), "甘蔗 change", pd.DataFrame({"indicator": ["甘蔗"]}))
    ('甘蔗', 'change')
    """
    try:
        return table.resolve(name)
    except KeyError:
        known = set(df["indicator"].dropna()) if "indicator" in df else set()
        for suffix in (" growth", " change"):
            if name.endswith(suffix) and name[: -len(suffix)] in known:
                return name[: -len(suffix)], "change"
        if name in known:
            return name, "value"
        raise


def _names(df: pd.DataFrame) -> list[str]:
    """Every indicator with a target and an actual: its change where targets state one, else its level."""
    out = []
    for ident, sub in df.groupby("indicator", sort=True):
        if not {"target", "actual"} <= set(sub["status"]):
            continue
        targets = sub[sub["status"] == "target"]
        out.append(f"{ident} change" if targets["change_low"].notna().sum() >= targets["value_low"].notna().sum()
                   else ident)
    return out
