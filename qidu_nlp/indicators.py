"""qidu_nlp.indicators: the indicator table of a corpus, what was promised and what was kept.

The rows come from :func:`qidu_nlp.rules.indicators.extract_text` (one per indicator statement,
through the pipeline: ``Result.indicators``); :func:`to_frame` makes them a typed table and
:func:`compare` lines targets up with the next report's actuals.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from .rules.indicators import COLUMNS, load_indicators
from .schema import frame

__all__ = ["to_frame", "compare", "COLUMNS"]


def to_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Indicator rows as a DataFrame with the columns :data:`COLUMNS` (also when empty).

    Examples
    --------
    >>> list(to_frame([]).columns) == COLUMNS
    True
    """
    return frame("indicators", rows)


def compare(table: pd.DataFrame | Iterable[dict]) -> pd.DataFrame:
    """Line up targets with the actuals reported for the same place, indicator and period.

    Targets set in year *Y*'s report (``status == "target"``, ``period == Y``) meet the actuals
    of the next report (``status == "actual"``, ``period == Y``). Per side, the first non-empty
    level and change of the statements for that key are used. A target is ``met`` when the
    actual change (or, without changes, the level) reaches it in the target's direction; for
    ceilings (失业率, 居民消费价格, 能耗: ``lower_is_better`` in the data file, or a target
    written 以下/以内) when the actual stays at or below it.

    Parameters
    ----------
    table : DataFrame or iterable of dict
        Indicator rows of several documents (:func:`extract` / :func:`to_frame`).

    Returns
    -------
    DataFrame
        Columns ``place, indicator, period, target_change, target_value, target_approx,
        actual_change, actual_value, unit, change_unit, met, target_doc, actual_doc``.

    Examples
    --------
    >>> rows = [
    ...     {"place": "甲县", "indicator": "地区生产总值", "period": 2023, "status": "target",
    ...      "change": 6.0, "change_unit": "%", "direction": "up", "doc_id": "a"},
    ...     {"place": "甲县", "indicator": "地区生产总值", "period": 2023, "status": "actual",
    ...      "change": 6.4, "change_unit": "%", "direction": "up", "doc_id": "b"}]
    >>> compare(rows)[["indicator", "target_change", "actual_change", "met"]].values.tolist()
    [['地区生产总值', 6.0, 6.4, True]]
    """
    df = table if isinstance(table, pd.DataFrame) else to_frame(table)
    df = df.reindex(columns=COLUMNS)
    out_cols = [
        "place", "indicator", "period", "target_change", "target_value", "target_approx",
        "actual_change", "actual_value", "unit", "change_unit", "met", "target_doc", "actual_doc",
    ]
    if df.empty:
        return pd.DataFrame(columns=out_cols)
    df = df.assign(place=df["place"].fillna(""))
    keys = ["place", "indicator", "period"]
    targets = df[df["status"] == "target"].groupby(keys, as_index=False, sort=False).first()
    actuals = df[df["status"] == "actual"].groupby(keys, as_index=False, sort=False).first()
    merged = targets.merge(actuals, on=keys, suffixes=("_t", "_a"))
    table_info = load_indicators()["indicators"]
    rows = []
    for _, r in merged.iterrows():
        lower = bool(table_info.get(r["indicator"], {}).get("lower_is_better")) or r["approx_t"] == "under"
        met = None
        if pd.notna(r["change_t"]) and pd.notna(r["change_a"]) and r["change_unit_t"] == r["change_unit_a"]:
            if r["change_t"] < 0 or lower:
                met = bool(r["change_a"] <= r["change_t"])
            else:
                met = bool(r["change_a"] >= r["change_t"])
        elif pd.notna(r["value_t"]) and pd.notna(r["value_a"]) and r["unit_t"] == r["unit_a"]:
            met = bool(r["value_a"] <= r["value_t"]) if lower else bool(r["value_a"] >= r["value_t"])
        rows.append({
            "place": r["place"], "indicator": r["indicator"], "period": r["period"],
            "target_change": r["change_t"], "target_value": r["value_t"], "target_approx": r["approx_t"],
            "actual_change": r["change_a"], "actual_value": r["value_a"],
            "unit": r["unit_t"] if pd.notna(r["unit_t"]) else r["unit_a"],
            "change_unit": r["change_unit_t"] if pd.notna(r["change_unit_t"]) else r["change_unit_a"],
            "met": met, "target_doc": r["doc_id_t"], "actual_doc": r["doc_id_a"],
        })
    return pd.DataFrame(rows, columns=out_cols)
