"""qidu_nlp.corpus.report: ``report.html``, the single self-contained page a researcher opens first.

The corpus views lead: summary cards, slogans over the years (for a corpus of several years),
the slogans found (most frequent first, with their official English rendering and a
keyword-in-context example, the slogan highlighted), the top entities per label, the indicators
(values written as reports write them: 1.43亿元, 34%), a picture of the co-occurrence graph and
an interactive view of it; then the document table, compact and searchable, and the inputs that
failed. No external resources: styles, the picture (PNG as a data URI), the search box and the
interactive view are inlined, so the file can be mailed or archived as it is.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import tempfile
from pathlib import Path

import pandas as pd

from ..about import __version__
from ..graph import draw
from ..schema import ENTITY_LABELS
from ..text.display import format_value
from ..text.terms import longest_first

__all__ = ["render", "norm_counts"]
_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:2em auto;max-width:1200px;color:#222;line-height:1.45;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em} h2{border-bottom:2px solid #b22;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.9em;margin:.5em 0} th,td{border:1px solid #ddd;padding:3px 7px;
text-align:left;vertical-align:top} th{background:#f3f3f3} .num{text-align:right}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;
min-width:8em}.card b{display:block;font-size:1.5em}.muted{color:#777;font-size:.85em}
.ents{display:flex;flex-wrap:wrap;gap:1.5em}.ents>div{min-width:14em}img{max-width:100%}
mark{background:#ffe08a;padding:0 1px} .docs td{white-space:nowrap;max-width:28em;overflow:hidden;
text-overflow:ellipsis} .docs{display:block;max-height:28em;overflow:auto} input.find{margin:.3em 0;
padding:3px 6px;width:20em} .years td{padding:1px 4px;text-align:right;font-size:.85em}
.kwic{white-space:nowrap;font-size:.9em} .scroll{max-height:32em;overflow:auto} .years td:first-child,
.slogans td:nth-child(7){white-space:nowrap} .wide{overflow-x:auto} .slogans td:first-child{min-width:7em}
.slogans td:nth-child(3){min-width:10em} .ind td:nth-child(3),.ind td:nth-child(4){white-space:nowrap}
"""
_FIND = ("<script>function qiduFind(box,id){var q=box.value.toLowerCase(),n=0;"
         "document.querySelectorAll('#'+id+' tbody tr').forEach(function(r){"
         "var show=r.textContent.toLowerCase().indexOf(q)>=0;r.style.display=show?'':'none';if(show)n++;});"
         "box.nextElementSibling.textContent=n+' rows';}</script>")


def _shorten(frame: pd.DataFrame, width: int = 90) -> pd.DataFrame:
    """Long text cells cut for the page (the CSV files keep them whole)."""
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].map(
                lambda v: (v.strip()[:width] + "…" if len(v.strip()) > width else v.strip()) if isinstance(v, str) else v)
    return frame


def _table(frame: pd.DataFrame, *, max_rows: int = 50, classes: str | None = None) -> str:
    if frame is None or frame.empty:
        return "<p class='muted'>none</p>"
    shown = _shorten(frame.head(max_rows))
    more = f"<p class='muted'>{len(frame) - max_rows} more rows in the CSV file</p>" if len(frame) > max_rows else ""
    return shown.to_html(index=False, escape=True, na_rep="", border=0, classes=classes) + more


def _slogan_table(slogans: pd.DataFrame, max_rows: int = 100) -> str:
    """The slogan inventory with its example as a KWIC line, the slogan highlighted."""
    if slogans is None or slogans.empty:
        return "<p class='muted'>none</p>"
    slogans = slogans.copy()
    if "first_year" in slogans.columns:
        slogans["years"] = [_span(a, b) for a, b in zip(slogans["first_year"], slogans["last_year"])]
    cols = [c for c in ("norm", "kind", "english", "english_years", "mentions", "documents", "years", "example")
            if c in slogans.columns]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = []
    for _, row in slogans.head(max_rows).iterrows():
        cells = []
        for c in cols:
            v = row[c]
            text = "" if v is None or (isinstance(v, float) and v != v) or v is pd.NA else str(v)
            if c == "example":
                cells.append(f"<td>{_highlight(text, row)}</td>")
            else:
                cells.append(f"<td class='num'>{html.escape(text)}</td>" if c in ("mentions", "documents") else
                             f"<td>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = (f"<p class='muted'>{len(slogans) - max_rows} more rows in slogans.csv</p>" if len(slogans) > max_rows else "")
    return (f"<div class='wide'><table class='slogans'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
            f"</table></div>{more}")


def _span(first, last) -> str:
    """``2008–2022``, or one year, or nothing."""
    first, last = ("" if v is None or v is pd.NA or v != v else str(int(v)) for v in (first, last))
    return first if first == last else f"{first}–{last}"


def _highlight(example: str, row, width: int = 14) -> str:
    """The example as a one-line KWIC cell: ``width`` characters each side, the slogan marked."""
    surfaces = longest_first({str(v) for v in str(row.get("variants") or "").split(";") if v} | {str(row["norm"])})
    for surface in surfaces:
        at = example.find(surface)
        if at >= 0:
            left, right = example[:at].lstrip("…"), example[at + len(surface):].rstrip("…")
            left = ("…" + left[-width:]) if len(left) > width or example.startswith("…") else left
            right = (right[:width] + "…") if len(right) > width or example.endswith("…") else right
            return (f"<span class='kwic'>{html.escape(left)}<mark>{html.escape(surface)}</mark>"
                    f"{html.escape(right)}</span>")
    return html.escape(example)


def _indicators(indicators: pd.DataFrame, max_rows: int = 100) -> str:
    """The indicator statements with values written as people write them (1.43亿元, 34%)."""
    if indicators is None or indicators.empty:
        return "<p class='muted'>none</p>"
    shown = pd.DataFrame({
        "document": indicators["doc_id"],
        "indicator": indicators["indicator"],
        "value": [_range(lo, hi, u) for lo, hi, u in zip(indicators["value_low"], indicators["value_high"],
                                                          indicators["unit"])],
        "change": [_range(lo, hi, u) for lo, hi, u in zip(indicators["change_low"], indicators["change_high"],
                                                           indicators["change_unit"])],
        "direction": indicators["direction"],
        "period": [_period(a, b) for a, b in zip(indicators["period_start"], indicators["period_end"])],
        "status": indicators["status"],
        "sentence": indicators["sentence"],
    })
    summary = ""
    if indicators["doc_id"].nunique() > 1:
        top = (indicators.groupby("indicator").agg(statements=("doc_id", "size"), documents=("doc_id", "nunique"))
               .sort_values(["documents", "statements"], ascending=False).head(20).reset_index())
        summary = "<h3>Most reported indicators</h3>" + _table(top, max_rows=20) + "<h3>Statements</h3>"
    return summary + "<div class='scroll'>" + _table(shown, max_rows=max_rows, classes="ind") + "</div>"


def _range(low, high, unit) -> str:
    """A value or a range as written: 6%, 6–6.5%."""
    if pd.isna(high) or pd.isna(low) or high == low:
        return format_value(None if pd.isna(low) else low, unit)
    return f"{format_value(low)}–{format_value(high, unit)}"


def _period(start, end) -> str:
    """2024, or 2021–2025 for a period of several years."""
    if pd.isna(start):
        return ""
    return str(int(start)) if pd.isna(end) or end == start else f"{int(start)}–{int(end)}"


def _years(result, slogans: pd.DataFrame, top: int = 20) -> str:
    """Slogans over the years: mentions per year of the most widespread slogans (a corpus of
    several years only)."""
    docs = result.documents
    years = sorted({int(y) for y in docs["year"].dropna()}) if not docs.empty else []
    if len(years) < 2 or slogans is None or slogans.empty:
        return ""
    keep = set(slogans.sort_values(["documents", "mentions"], ascending=False)["norm"].head(top))
    counts: dict = {}
    for chunk in result.mention_chunks(["year", "norm", "doc_id"], labels=["SLOGAN"]):
        chunk = chunk[chunk["norm"].isin(keep) & chunk["year"].notna()].drop_duplicates()
        for (norm, year), n in chunk.groupby(["norm", "year"]).size().items():
            counts[(norm, int(year))] = counts.get((norm, int(year)), 0) + int(n)
    if not counts:
        return ""
    per_year = docs.dropna(subset=["year"]).groupby("year").size()
    order = [n for n in slogans.sort_values(["documents", "mentions"], ascending=False)["norm"] if n in keep]
    head = "<th>slogan</th>" + "".join(f"<th>{y}</th>" for y in years)
    rows = ["<tr><td class='muted'>documents</td>" + "".join(f"<td>{int(per_year.get(y, 0))}</td>" for y in years) + "</tr>"]
    peak = max(counts.values())
    for norm in order:
        cells = []
        for y in years:
            n = counts.get((norm, y), 0)
            shade = f" style='background:rgba(178,34,34,{0.1 + 0.8 * n / peak:.2f})'" if n else ""
            cells.append(f"<td{shade}>{n or ''}</td>")
        rows.append(f"<tr><td>{html.escape(norm)}</td>{''.join(cells)}</tr>")
    return ("<h2>Slogans over the years</h2><p class='muted'>Documents using each of the most widespread "
            "slogans, per report year (first row: documents per year in the corpus).</p>"
            f"<div style='overflow-x:auto'><table class='years'><thead><tr>{head}</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div>")


def _documents(docs: pd.DataFrame) -> str:
    """The document table, compact (one line per document) and searchable."""
    if docs is None or docs.empty:
        return "<p class='muted'>none</p>"
    cols = [c for c in ("id", "title", "year", "place", "level", "chars", "mentions", "status") if c in docs.columns]
    table = docs[cols].to_html(index=False, escape=True, na_rep="", border=0, classes="docs", table_id="qidu-docs")
    return (f"<input class='find' placeholder='search {len(docs):,} documents' oninput=\"qiduFind(this,'qidu-docs')\">"
            f"<span class='muted'></span>{table}")


def norm_counts(result) -> tuple[pd.Series, pd.DataFrame]:
    """Mentions per label, and per (label, norm) of slogans and entities its mentions and
    documents, read chunk by chunk (a large run's mention table is never read whole)."""
    labels, per_norm, triples = [], [], []
    for chunk in result.mention_chunks(["label", "norm", "doc_id"]):
        labels.append(chunk["label"].value_counts())
        named = chunk[chunk["label"].isin(["SLOGAN", *ENTITY_LABELS])]
        per_norm.append(named.groupby(["label", "norm"], dropna=False).size())
        triples.append(named.drop_duplicates())
    if not labels:
        return pd.Series(dtype="int64"), pd.DataFrame(columns=["label", "norm", "mentions", "documents"])
    by_label = pd.concat(labels).groupby(level=0).sum()
    mentions = pd.concat(per_norm).groupby(level=[0, 1], dropna=False).sum().rename("mentions")
    documents = pd.concat(triples).drop_duplicates().groupby(["label", "norm"], dropna=False).size().rename("documents")
    table = pd.concat([mentions, documents], axis=1).fillna(0).astype("int64").reset_index()
    return by_label, table


def _cards(result, by_label: pd.Series, norms: pd.DataFrame) -> str:
    docs = result.documents
    items = [
        ("documents", int((docs["status"] == "ok").sum()) if not docs.empty else 0),
        ("characters", int(docs["chars"].fillna(0).sum()) if not docs.empty else 0),
        ("slogan mentions", int(by_label.get("SLOGAN", 0))),
        ("distinct slogans", int(((norms["label"] == "SLOGAN") & norms["norm"].notna()).sum())),
        ("entity mentions", int(sum(by_label.get(label, 0) for label in ENTITY_LABELS))),
        ("quantities", int(by_label.get("QUANTITY", 0))),
        ("indicator statements", len(result.indicators)),
        ("failed inputs", len(result.errors)),
    ]
    return "<div class='cards'>" + "".join(
        f"<div class='card'><b>{value:,}</b>{html.escape(name)}</div>" for name, value in items
    ) + "</div>"


def _entities(norms: pd.DataFrame, top: int = 15) -> str:
    norms = norms[norms["label"].isin(ENTITY_LABELS) & norms["norm"].notna()]
    if norms.empty:
        return "<p class='muted'>none</p>"
    blocks = []
    for label in ENTITY_LABELS:
        sub = norms[norms["label"] == label]
        if sub.empty:
            continue
        counts = sub[["norm", "mentions", "documents"]].sort_values(
            ["mentions", "documents", "norm"], ascending=[False, False, True], kind="stable").head(top)
        blocks.append(f"<div><h3>{label}</h3>{_table(counts, max_rows=top)}</div>")
    return "<div class='ents'>" + "".join(blocks) + "</div>"


def _graph(result) -> str:
    G = result.graph
    if G.number_of_nodes() == 0:
        return "<p class='muted'>The graph is empty (no co-occurring mentions).</p>"
    with tempfile.TemporaryDirectory() as tmp:
        png = draw.draw_png(G, Path(tmp) / "graph.png", title="co-occurrence graph").read_bytes()
    img = f"<img alt='co-occurrence graph' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
    caption = (f"<p class='muted'>{G.number_of_nodes()} nodes, {G.number_of_edges()} edges; "
               f"window: {html.escape(result.window)}. Full graph in graph.graphml / graph.json.</p>")
    return img + caption + "<h3>Interactive view</h3>" + draw.html_fragment(G)


def render(result) -> str:
    """Return the HTML text of the report for a :class:`~qidu_nlp.corpus.result.Result`."""
    slogans = result.slogans
    by_label, norms = norm_counts(result)
    parts = [
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>",
        "<title>qidu_nlp report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>qidu_nlp report</h1>",
        f"<p class='muted'>qidu_nlp {__version__}, generated {_dt.datetime.now():%Y-%m-%d %H:%M}. "
        "Offsets in mentions.csv index the original text of each document.</p>",
        "<h2>Corpus</h2>", _cards(result, by_label, norms),
        _years(result, slogans),
        "<h2>Slogans</h2><p class='muted'>Most frequent first; variants merged by norm; the official English "
        "rendering from the glossary of the national reports' translations; the example is the first mention "
        "in its context.</p>",
        _slogan_table(slogans),
        "<h2>Top entities</h2>", _entities(norms),
        "<h2>Indicators</h2><p class='muted'>Targets and achievements stated in the text.</p>",
        _indicators(result.indicators),
        "<h2>Co-occurrence graph</h2>", _graph(result),
        "<h2>Documents</h2>", _documents(result.documents), _FIND,
    ]
    if not result.errors.empty:
        parts += ["<h2>Inputs that failed</h2>", _table(result.errors)]
    parts.append("</body></html>")
    return "\n".join(parts)
