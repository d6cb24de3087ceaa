"""qidu_nlp.rules.indicators: indicator statements, what was promised and what was achieved.

One row per *indicator statement*: one number or range stated for one canonical indicator, with
its level (``value_low``/``value_high``, ``unit``) and/or its change (``change_low``/``change_high``,
``change_unit``), ``direction``, ``approx`` (about, over, under), ``status`` (target, actual,
plan_target, plan_average) and period (``period_start``/``period_end``). The modules, in the
order the text is read:

- :mod:`.table`: the canonical indicators and their Chinese names (``data/indicators``);
- :mod:`.numbers`: numbers with ranges (6%－6.5%, 百分之八至九);
- :mod:`.mentions`: where an indicator is named, decided by the syntax of the name;
- :mod:`.statements`: which indicator each number belongs to and what it says;
- :mod:`.status`: target or actual, and which years;
- :mod:`.extract`: :func:`extract_text`, the whole of it on a plain string.

:func:`qidu_nlp.pipeline.rows.indicator_rows` calls :func:`extract_text` on a Doc, and
:mod:`qidu_nlp.indicators` turns the rows into tables and series.
"""

from .extract import COLUMNS, extract_text
from .table import Indicator, IndicatorTable, load_cues, load_table

__all__ = ["extract_text", "load_table", "load_cues", "Indicator", "IndicatorTable", "COLUMNS"]
