"""qidu_nlp.evaluation.glossary: score a slogan glossary against a hand-checked list.

The checked list (``corpora/annotations/glossary/glossary_checked.tsv``: ``zh``, ``english``,
``variants``, ``occurrences`` …) gives, for each slogan, its main official rendering and the
other attested ones (``english`` is ``-`` where the English only paraphrases). A learned
rendering is **correct** when it equals the main rendering or a variant after normalisation
(case, curly and straight apostrophes, a leading article, surrounding quotes and punctuation, a
plural ``-s`` and the serial comma, which the builder merges by design). Over the slogans of the
list that occur in at least ``min_occurrences`` pairs:

- **coverage** = slogans given a rendering / slogans;
- **precision** = correct renderings / renderings given (a rendering of a ``-`` slogan is wrong);
- **recall** = correct renderings / slogans with a fixed rendering;
- **boundary** = wrong renderings that lie inside an attested rendering or contain one (the
  right words with too much or too little around them: ``eight-point decision on improving``
  for ``eight-point decision on improving Party and government conduct``), reported apart.

The list is split by slogan (:func:`split_of`, frozen before the builder was run on it): rows
whose ``sha256(zh)`` starts with an even byte are for development, the others are held out. Rows
added later name their split in the list's ``split`` column: ``heldout2``, 40 slogans drawn from
the detector's and checked by hand before the builder was changed again (the list's notes say how),
and ``dev2``, 23 more drawn the same way after it and read while the builder was changed.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pandas as pd

from ..rules.slogans import slogan_norm
from ..rules.slogans.glossary import Glossary

__all__ = ["read_checked", "split_of", "normalize_english", "evaluate", "SPLITS"]


def split_of(zh: str) -> str:
    """``"dev"`` or ``"heldout"``: the frozen split of the checked list, by slogan.

    Examples
    --------
    >>> split_of("三农"), split_of("一带一路")
    ('dev', 'heldout')
    """
    return "dev" if hashlib.sha256(zh.encode("utf-8")).digest()[0] % 2 == 0 else "heldout"


SPLITS = ("dev", "dev2", "heldout", "heldout2")


def read_checked(path: str | Path) -> pd.DataFrame:
    """The checked list as a DataFrame with a ``split`` column (one of :data:`SPLITS`).

    A row's split is the list's ``split`` column where it is filled (``heldout2``, ``dev2``), else the frozen
    parity of :func:`split_of`.

    Raises
    ------
    ValueError
        Naming the file and line of a row without ``zh``, ``english`` or an integer
        ``occurrences``, or with a split that is none of :data:`SPLITS`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "checked.tsv"
    >>> _ = p.write_text("zh\\tenglish\\toccurrences\\tsplit\\n三农\\tagriculture, rural areas, and farmers\\t43\\t\\n"
    ...                  "美丽中国\\tBeautiful China\\t3\\theldout2\\n", encoding="utf-8")
    >>> read_checked(p)[["zh", "split"]].values.tolist()
    [['三农', 'dev'], ['美丽中国', 'heldout2']]
    """
    path = Path(path)
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for lineno, row in enumerate(csv.DictReader(f, delimiter="\t"), 2):
            if not row.get("zh") or not row.get("english") or not str(row.get("occurrences", "")).isdigit():
                raise ValueError(f"{path}, line {lineno}: needs zh, english and an integer occurrences")
            split = (row.get("split") or "").strip() or split_of(row["zh"])
            if split not in SPLITS:
                raise ValueError(f"{path}, line {lineno}: split {split!r} is none of {', '.join(SPLITS)}")
            rows.append({**row, "occurrences": int(row["occurrences"]), "split": split})
    return pd.DataFrame(rows)


_EDGE = re.compile(r"^[\s\"“”'‘’.,;:()]+|[\s\"“”'‘’.,;:()]+$")


def normalize_english(text: str) -> str:
    """A rendering reduced for comparison.

    Examples
    --------
    >>> normalize_english("“The Agriculture, rural areas and farmers.”")
    'agriculture rural area and farmer'
    >>> normalize_english("formalities’ sake") == normalize_english("formalities' sake")
    True
    """
    s = _EDGE.sub("", text.replace("’", "'").replace("‘", "'").lower())
    s = re.sub(r"^(the|a|an)\s+", "", s)
    words = [w for w in re.split(r"[\s,]+", s) if w]
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")) else w
                    for w in words)


def _gold(row) -> set[str]:
    if row["english"].strip() == "-":
        return set()
    forms = [row["english"], *str(row.get("variants") or "").split("|")]
    return {normalize_english(f) for f in forms if f.strip() and not f.strip().startswith("no fixed rendering")}


def evaluate(glossary: Glossary | pd.DataFrame, checked: pd.DataFrame, *, min_occurrences: int = 3,
             split: str | None = None, forms: tuple[str, ...] | None = None) -> dict:
    """Precision, coverage and recall of a glossary on the checked list.

    Parameters
    ----------
    glossary : Glossary or DataFrame
        A :class:`~qidu_nlp.rules.slogans.glossary.Glossary`, or a table with ``norm`` and
        ``english`` (and ``form``), as :func:`qidu_nlp.training.glossary.build` returns it.
    checked : DataFrame
        :func:`read_checked`.
    min_occurrences : int
        Only the slogans of the list in at least this many pairs.
    split : {"dev", "dev2", "heldout", "heldout2"}, optional
        Only the rows of one split.
    forms : tuple of str, optional
        Only renderings of these forms count as given (``("term",)``: the quoted, capitalised and
        numeral ones); needs a table.

    Returns
    -------
    dict
        ``slogans``, ``given``, ``correct``, ``fixed`` (slogans with a fixed rendering),
        ``boundary`` (wrong renderings off by their boundaries only),
        ``precision``, ``coverage``, ``recall``, and ``rows`` (one dict per slogan: zh, gold,
        learned, correct).

    Examples
    --------
    >>> checked = pd.DataFrame([{"zh": "三农", "english": "agriculture, rural areas, and farmers", "variants": "",
    ...                          "occurrences": 43, "split": "dev"},
    ...                         {"zh": "精准扶贫", "english": "-", "variants": "", "occurrences": 5, "split": "dev"}])
    >>> table = pd.DataFrame([{"norm": "三农", "english": "agriculture, rural areas and farmers", "form": "phrase"}])
    >>> r = evaluate(table, checked)
    >>> r["precision"], r["coverage"], r["recall"]
    (1.0, 0.5, 1.0)
    """
    if isinstance(glossary, pd.DataFrame):
        table = glossary[glossary["english"].fillna("").astype(bool)]
        if forms is not None:
            table = table[table["form"].isin(forms)]
        learned = {slogan_norm(n): e for n, e in zip(table["norm"], table["english"])}
    else:
        learned = {k: e.english for k, e in glossary.entries.items()}
    sel = checked[checked["occurrences"] >= min_occurrences]
    if split is not None:
        sel = sel[sel["split"] == split]
    rows = []
    for _, row in sel.iterrows():
        gold = _gold(row)
        got = learned.get(slogan_norm(row["zh"]))
        norm_got = normalize_english(got) if got else ""
        correct = bool(got) and norm_got in gold
        boundary = bool(got) and not correct and any(f" {norm_got} " in f" {g} " or f" {g} " in f" {norm_got} "
                                                     for g in gold)
        rows.append({"zh": row["zh"], "gold": row["english"], "learned": got, "correct": correct,
                     "boundary": boundary})
    given = sum(bool(r["learned"]) for r in rows)
    correct = sum(r["correct"] for r in rows)
    fixed = sum(row["english"].strip() != "-" for _, row in sel.iterrows())
    return {"slogans": len(rows), "given": given, "correct": correct, "fixed": fixed,
            "boundary": sum(r["boundary"] for r in rows),
            "precision": round(correct / given, 3) if given else 0.0,
            "coverage": round(given / len(rows), 3) if rows else 0.0,
            "recall": round(correct / fixed, 3) if fixed else 0.0, "rows": rows}
