"""qidu_nlp.themes: policy themes of paragraphs and sentences (taxonomy, weak labels, classifier).

A theme is one of a small, user-replaceable taxonomy (``qidu_nlp/data/themes.toml``: 产业发展,
乡村振兴, 城乡建设, 生态环保, 文化旅游, 民生保障, 安全生产, 社会治理, 政府建设). Three layers:

* **keywords** — every theme has seed keywords; :func:`keyword_themes` scores a text by its hits.
  This is the fallback when no trained model fits the taxonomy.
* **weak labels** — :func:`weak_labels` labels the paragraphs of any corpus for free: the section
  heading or a short lead sentence (“一、突出产业赋能…”, “这是乡村振兴全面起势的一年。”) names
  a theme through its strong keywords, and a paragraph dense in one theme's keywords gets it.
* **classifier** — :func:`train` fits TF-IDF over character 1–3-grams with a one-vs-rest
  logistic regression on the weak labels, reproducibly (``seed``), and writes a small ``.npz``
  (vocabulary, idf, weights; no pickle). :class:`ThemeModel` scores texts with it.

The ``qidu_themes`` component writes ``doc.spans["themes"]``: one span per sentence per theme
(label = theme name, ``span._.score`` = confidence), and the paragraph themes as plain data in
``doc.user_data["qidu_paragraph_themes"]`` (one list ``[[theme, score], ...]`` per paragraph of
``doc._.paragraphs``).
"""

from __future__ import annotations

import json
import logging
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator, Literal, Sequence

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from .char_tfidf import CharTfidf
from .extensions import set_span_attrs
from .spans import write_spans
from .structure import is_heading, section_paths, split_paragraphs, split_sentences
from .text import doc_text, normalize, sentence_offsets, trim_span

logger = logging.getLogger("qidu_nlp")

__all__ = [
    "Theme",
    "ThemeModel",
    "ThemeTagger",
    "load_taxonomy",
    "load_model",
    "keyword_hits",
    "keyword_themes",
    "keyword_matrix",
    "weak_labels",
    "iter_corpus_texts",
    "train",
    "default_training_paths",
    "make_themes",
    "SPANS_KEY",
    "PARAGRAPH_KEY",
]

SPANS_KEY = "themes"
PARAGRAPH_KEY = "qidu_paragraph_themes"
DEFAULT_TAXONOMY = "themes.toml"
DEFAULT_MODEL = "themes_model.npz"
LEAD_MAX = 40  # a first sentence up to this length acts as the paragraph's own heading
_LEAD_END = re.compile(r"[。！？!?；;]")


# --------------------------------------------------------------------------- taxonomy


@dataclass(frozen=True)
class Theme:
    """One policy theme: its node name, a description and its seed keywords."""

    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    strong: tuple[str, ...] = ()
    _pattern: re.Pattern | None = field(default=None, compare=False, repr=False)
    _strong_pattern: re.Pattern | None = field(default=None, compare=False, repr=False)

    @staticmethod
    def _compile(words: Iterable[str]) -> re.Pattern | None:
        words = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
        return re.compile("|".join(map(re.escape, words))) if words else None

    @classmethod
    def make(cls, name: str, description: str = "", keywords=(), strong=()) -> "Theme":
        keywords = tuple(keywords)
        strong = tuple(strong) or keywords
        return cls(name, description, keywords, strong, cls._compile(keywords), cls._compile(strong))


def load_taxonomy(path: str | Path | None = None) -> list[Theme]:
    """Read a theme taxonomy from TOML (default: the packaged ``data/themes.toml``).

    The file holds ``[[theme]]`` tables with ``name``, ``description``, ``keywords`` and optional
    ``strong`` (keywords decisive in a heading; default: all keywords).

    Parameters
    ----------
    path : path, optional
        A TOML file of the same form.

    Returns
    -------
    list of Theme
        In file order.

    Raises
    ------
    ValueError
        When the file has no theme, a theme has no name, or a name repeats.

    Examples
    --------
    >>> [t.name for t in load_taxonomy()][:3]
    ['产业发展', '乡村振兴', '城乡建设']
    """
    if path is None:
        raw = (resources.files("qidu_nlp") / "data" / DEFAULT_TAXONOMY).read_text(encoding="utf-8")
        source = f"qidu_nlp/data/{DEFAULT_TAXONOMY}"
    else:
        raw = Path(path).read_text(encoding="utf-8")
        source = str(path)
    data = tomllib.loads(raw)
    themes = []
    for i, entry in enumerate(data.get("theme", [])):
        if not entry.get("name"):
            raise ValueError(f"{source}: theme #{i + 1} has no `name`; every [[theme]] needs one.")
        themes.append(
            Theme.make(entry["name"], entry.get("description", ""), entry.get("keywords", ()), entry.get("strong", ()))
        )
    if not themes:
        raise ValueError(f"{source}: no [[theme]] table found; see qidu_nlp/data/{DEFAULT_TAXONOMY} for the form.")
    names = [t.name for t in themes]
    if len(set(names)) != len(names):
        raise ValueError(f"{source}: theme names repeat ({names}); names must be unique.")
    return themes


# --------------------------------------------------------------------------- keywords


def keyword_hits(text: str, taxonomy: Sequence[Theme], *, strong: bool = False) -> dict[str, int]:
    """Count the keyword occurrences of every theme in ``text`` (longest keyword first).

    Examples
    --------
    >>> tax = load_taxonomy()
    >>> hits = keyword_hits("持续推进乡村振兴，壮大村集体经济。", tax)
    >>> hits["乡村振兴"], hits["产业发展"]
    (2, 0)
    """
    out = {}
    for theme in taxonomy:
        pattern = theme._strong_pattern if strong else theme._pattern
        out[theme.name] = len(pattern.findall(text)) if pattern is not None else 0
    return out


def keyword_themes(
    text: str,
    taxonomy: Sequence[Theme],
    *,
    min_hits: int = 2,
    min_share: float = 0.2,
) -> list[tuple[str, float]]:
    """The themes of ``text`` by keywords alone: the keyword-lexicon baseline and fallback.

    A theme is kept when it has at least ``min_hits`` keyword occurrences and at least
    ``min_share`` of all keyword occurrences in the text. Its confidence is
    ``share * (1 - exp(-hits / 2))``: many hits and a large share both raise it.

    Returns
    -------
    list of (str, float)
        Themes, highest confidence first.

    Examples
    --------
    >>> keyword_themes("开展燃气安全专项整治，排查安全隐患，加强应急救援能力建设。", load_taxonomy())
    [('安全生产', 0.849)]
    """
    hits = keyword_hits(normalize(text), taxonomy)
    total = sum(hits.values())
    out = []
    for name, n in hits.items():
        if n >= min_hits and n / total >= min_share:
            out.append((name, _keyword_confidence(n, total)))
    return sorted(out, key=lambda x: -x[1])


def _keyword_confidence(n: int, total: int) -> float:
    return round(float(n / total * (1 - np.exp(-n / 2))), 3)


_SEPARATOR = "\x00"  # in no keyword: joined texts are matched as if one by one


def keyword_matrix(texts: Sequence[str], taxonomy: Sequence[Theme], *, min_hits: int = 2,
                   min_share: float = 0.2, normalized: bool = False) -> np.ndarray:
    """:func:`keyword_themes` of many texts at once, as a matrix (texts × themes) of confidences.

    The texts are joined by a character no keyword holds and every theme's pattern runs once
    over the whole; the hits are counted back per text. A text holding that character is
    matched alone.

    Examples
    --------
    >>> tax = load_taxonomy()
    >>> M = keyword_matrix(["开展燃气安全专项整治，排查安全隐患，加强应急救援能力建设。", "你好"], tax)
    >>> [tax[j].name for j in M[0].nonzero()[0]], float(M[0].max()), bool(M[1].any())
    (['安全生产'], 0.849, False)
    """
    texts = [t if normalized else normalize(t) for t in texts]
    hits = np.zeros((len(texts), len(taxonomy)), dtype=np.int64)
    plain = [i for i, t in enumerate(texts) if _SEPARATOR not in t]
    for i in set(range(len(texts))) - set(plain):
        hits[i] = list(keyword_hits(texts[i], taxonomy).values())
    if plain:
        joined = _SEPARATOR.join(texts[i] for i in plain)
        starts = np.cumsum([0] + [len(texts[i]) + 1 for i in plain[:-1]])
        rows = np.asarray(plain)
        for j, theme in enumerate(taxonomy):
            if theme._pattern is None:
                continue
            where = [m.start() for m in theme._pattern.finditer(joined)]
            if where:
                owner = rows[np.searchsorted(starts, where, side="right") - 1]
                np.add.at(hits[:, j], owner, 1)
    out = np.zeros(hits.shape, dtype=np.float64)
    total = hits.sum(axis=1)
    for i, j in zip(*np.nonzero(hits >= min_hits)):
        n, tot = int(hits[i, j]), int(total[i])
        if n / tot >= min_share:  # keyword_themes's own test and rounding, in Python floats
            out[i, j] = _keyword_confidence(n, tot)
    return out


# --------------------------------------------------------------------------- weak labels


def lead_sentence(paragraph: str) -> str:
    """The paragraph's first sentence when it is short enough to act as its heading, else ``""``.

    Examples
    --------
    >>> lead_sentence("这是乡村振兴全面起势的一年。总规划面积2000亩的项目落地。")
    '这是乡村振兴全面起势的一年。'
    """
    m = _LEAD_END.search(paragraph)
    if m and m.end() <= LEAD_MAX and m.end() < len(paragraph):
        return paragraph[: m.end()]
    return ""


def weak_labels(
    text: str,
    taxonomy: Sequence[Theme],
    *,
    min_chars: int = 20,
    min_hits: int = 3,
    min_share: float = 0.35,
) -> Iterator[tuple[str, list[str]]]:
    """Label the paragraphs of a document for free, from headings and keyword density.

    A paragraph gets a theme when (a) its deepest section heading, or else its short lead
    sentence, contains one of the theme's *strong* keywords, or (b) the paragraph itself has
    at least ``min_hits`` keyword occurrences of the theme making up ``min_share`` of all its
    keyword hits. Headings themselves and paragraphs shorter than ``min_chars`` are skipped.

    Yields
    ------
    (str, list of str)
        The paragraph text and its themes (possibly none: a negative example).

    Examples
    --------
    >>> t = "一、突出产业赋能，创新驱动引领高位发展\\n持续壮大产业园区。加快推进10个重大项目建设进程，实现园区产值持续攀升。"
    >>> list(weak_labels(t, load_taxonomy()))
    [('持续壮大产业园区。加快推进10个重大项目建设进程，实现园区产值持续攀升。', ['产业发展'])]
    """
    norm = normalize(text)
    paragraphs = split_paragraphs(text)
    paths = section_paths(text, paragraphs)
    for (start, end), path in zip(paragraphs, paths):
        para = norm[start:end]
        if len(para) < min_chars or is_heading(para):
            continue
        heading = path.rsplit(" > ", 1)[-1] if path else ""
        context = lead_sentence(para) or heading
        labels = set()
        if context:
            strong = keyword_hits(context, taxonomy, strong=True)
            labels |= {name for name, n in strong.items() if n}
        for name, _ in keyword_themes(para, taxonomy, min_hits=min_hits, min_share=min_share):
            labels.add(name)
        yield para, [t.name for t in taxonomy if t.name in labels]


def iter_corpus_texts(paths: Iterable[str | Path]) -> Iterator[str]:
    """Texts of corpus files: ``.txt`` (one document) or ``.jsonl`` (``text`` or ``zh`` field)."""
    for path in paths:
        path = Path(path)
        if path.suffix == ".jsonl":
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        rec = json.loads(line)
                        text = rec.get("text") or rec.get("zh")
                        if text:
                            yield text
        else:
            yield path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the classifier


class ThemeModel:
    """A trained theme classifier: character n-gram TF-IDF and one logistic regression per theme.

    Stored as one ``.npz`` (vocabulary, idf, coefficients, intercepts, theme names, config),
    so it loads with numpy alone and does not depend on the scikit-learn version's pickles.
    """

    def __init__(self, themes, vocabulary, idf, coef, intercept, config):
        self.themes = list(themes)
        self.config = dict(config)
        self.vocabulary = [str(term) for term in vocabulary]
        # sklearn's TfidfVectorizer(analyzer="char", sublinear_tf=True) fitted the model; the
        # same transform in numpy (qidu_nlp.char_tfidf) is ten times faster at prediction
        self.vectorizer = CharTfidf(self.vocabulary, idf, tuple(self.config["ngram_range"]), sublinear_tf=True)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        # the (features × themes) float64 matrix the sparse product wants, made once: made per
        # call (a transposed copy, then a C-order copy inside scipy) it cost 0.6 ms a call
        self._coef_t = np.ascontiguousarray(self.coef.T, dtype=np.float64)

    def predict_proba(self, texts: Sequence[str], *, normalized: bool = False) -> np.ndarray:
        """Probabilities, shape ``(len(texts), len(self.themes))``.

        ``normalized=True`` says the texts are already :func:`qidu_nlp.text.normalize`-d (the
        component's case), which skips doing it again.
        """
        if len(texts) == 0:
            return np.zeros((0, len(self.themes)), dtype=np.float32)
        X = self.vectorizer.transform(texts if normalized else [normalize(t) for t in texts])
        z = X @ self._coef_t + self.intercept
        return (1.0 / (1.0 + np.exp(-np.asarray(z)))).astype(np.float32)

    def save(self, path: str | Path) -> None:
        """Write the model as a compressed ``.npz``."""
        np.savez_compressed(
            path,
            themes=np.array(self.themes),
            vocabulary=np.array(self.vocabulary),
            idf=self.vectorizer.idf.astype(np.float32),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept,
            config=np.array(json.dumps(self.config, ensure_ascii=False)),
        )

    @classmethod
    def load(cls, path: str | Path) -> "ThemeModel":
        """Read a model written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as data:
            return cls(
                data["themes"].tolist(),
                data["vocabulary"].tolist(),
                data["idf"],
                data["coef"].astype(np.float32),
                data["intercept"],
                json.loads(str(data["config"])),
            )


def load_model(path: str | Path | None = None) -> ThemeModel | None:
    """The packaged model (or the one at ``path``); ``None`` with a log message when absent."""
    try:
        if path is None:
            ref = resources.files("qidu_nlp") / "data" / DEFAULT_MODEL
            if not ref.is_file():
                logger.info("no packaged theme model (%s); themes fall back to keywords", DEFAULT_MODEL)
                return None
            with resources.as_file(ref) as real:
                return ThemeModel.load(real)
        return ThemeModel.load(path)
    except (OSError, KeyError, ValueError) as exc:
        logger.warning("theme model %s unreadable (%s); themes fall back to keywords", path, exc)
        return None


TRAINING_FILES = ("national_reports.jsonl", "policies.jsonl", "cpc_congress_reports.jsonl", "qidu_2024.txt")


def default_training_paths() -> list[Path]:
    """The corpora the shipped model was trained on, where present.

    Looked for in ``$QIDU_SHARED/corpora``, then ``../shared/corpora`` beside the current
    directory and beside the package's repository.
    """
    import os

    roots = []
    if os.environ.get("QIDU_SHARED"):
        roots.append(Path(os.environ["QIDU_SHARED"]) / "corpora")
    roots += [Path.cwd().parent / "shared" / "corpora", Path(__file__).resolve().parents[2] / "shared" / "corpora"]
    for root in roots:
        found = [root / name for name in TRAINING_FILES if (root / name).exists()]
        if found:
            return found
    return []


def train(
    paths: Iterable[str | Path] | None,
    output: str | Path,
    *,
    seed: int = 0,
    taxonomy: str | Path | None = None,
    max_features: int = 40000,
    ngram_range: tuple[int, int] = (1, 3),
    C: float = 4.0,
    max_paragraphs: int | None = None,
) -> dict:
    """Train the theme classifier on weak labels of the corpora and write it to ``output``.

    Parameters
    ----------
    paths : iterable of path, optional
        Corpus files (``.jsonl`` with a ``text``/``zh`` field, or ``.txt``); empty or None:
        :func:`default_training_paths` (the shared corpora).
    output : path
        Where the ``.npz`` model is written (``qidu_nlp/data/themes_model.npz`` ships).
    seed : int
        Seeds the paragraph shuffle and the solver: the same inputs give the same model.
    taxonomy : path, optional
        A taxonomy TOML (default: the packaged one).
    max_features, ngram_range, C
        Vectoriser size, character n-gram range, inverse regularisation strength.
    max_paragraphs : int, optional
        Subsample to this many paragraphs (quick runs).

    Raises
    ------
    ValueError
        When no corpus is given and the shared corpora cannot be found.

    Returns
    -------
    dict
        ``paragraphs``, ``labelled``, per-theme ``label_counts``, ``features``, ``output``,
        ``seed``, and the weak-label ``train_f1_micro`` (fit on the training data).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("一、突出产业赋能\\n持续壮大产业园区，加快重点项目建设，招引企业入驻园区。\\n二、推进乡村振兴\\n发展设施蔬菜，壮大村集体经济，带动农民增收致富。", encoding="utf-8")
    >>> info = train([d / "a.txt"], d / "m.npz", seed=0)
    >>> info["paragraphs"], info["label_counts"]["乡村振兴"]
    (2, 1)
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    paths = list(paths or []) or default_training_paths()
    if not paths:
        raise ValueError(
            "no training corpora: pass .jsonl/.txt files, or set QIDU_SHARED to the folder that holds "
            f"corpora/{TRAINING_FILES[0]} (the shared corpora)."
        )
    themes = load_taxonomy(taxonomy)
    names = [t.name for t in themes]
    texts, labels = [], []
    for text in iter_corpus_texts(paths):
        for para, labs in weak_labels(text, themes):
            texts.append(para)
            labels.append(labs)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(texts))
    if max_paragraphs is not None:
        order = order[:max_paragraphs]
    texts = [texts[i] for i in order]
    Y = np.array([[name in labs for name in names] for labs in (labels[i] for i in order)], dtype=np.int8)
    Y = Y.reshape(len(texts), len(names))
    vectorizer = TfidfVectorizer(
        analyzer="char", ngram_range=ngram_range, max_features=max_features,
        sublinear_tf=True, min_df=2 if len(texts) > 50 else 1, dtype=np.float32,
    )
    X = vectorizer.fit_transform(texts)
    coef = np.zeros((len(names), X.shape[1]), dtype=np.float32)
    intercept = np.zeros(len(names), dtype=np.float32)
    for j in range(len(names)):
        y = Y[:, j]
        if y.min() == y.max():  # no positive (or no negative) example: a constant score
            intercept[j] = 8.0 if y.max() else -8.0
            continue
        clf = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", random_state=seed)
        clf.fit(X, y)
        coef[j] = clf.coef_[0]
        intercept[j] = clf.intercept_[0]
    config = {"ngram_range": list(ngram_range), "C": C, "seed": seed, "max_features": max_features}
    model = ThemeModel(names, vectorizer.get_feature_names_out(), vectorizer.idf_, coef, intercept, config)
    model.save(output)
    pred = (np.asarray(X @ coef.T + intercept) > 0).astype(int)
    return {
        "paragraphs": len(texts),
        "labelled": int((Y.sum(axis=1) > 0).sum()),
        "label_counts": {n: int(Y[:, j].sum()) for j, n in enumerate(names)},
        "features": int(X.shape[1]),
        "train_f1_micro": round(float(f1_score(Y, pred, average="micro", zero_division=0)), 4),
        "output": str(output),
        "seed": seed,
    }


# --------------------------------------------------------------------------- scoring


def _scores(
    texts: Sequence[str],
    model: ThemeModel | None,
    taxonomy: Sequence[Theme],
    *,
    keywords: bool = True,
    normalized: bool = False,
) -> np.ndarray:
    """Score matrix (texts × themes of ``taxonomy``).

    The model's probabilities, and where ``keywords`` is true (or there is no model) the
    keyword confidence mapped to ``0.5 + conf / 2`` (so a keyword theme passes a threshold of
    0.5); the larger of the two wins.
    """
    names = [t.name for t in taxonomy]
    out = np.zeros((len(texts), len(names)), dtype=np.float32)
    if model is not None:
        probs = model.predict_proba(texts, normalized=normalized)
        index = {n: j for j, n in enumerate(model.themes)}
        for j, n in enumerate(names):
            out[:, j] = probs[:, index[n]]
    if keywords or model is None:
        conf = keyword_matrix(texts, taxonomy, normalized=normalized)
        hit = conf > 0
        out[hit] = np.maximum(out[hit], 0.5 + conf[hit] / 2)
    return out


def classify(
    texts: Sequence[str],
    *,
    model: ThemeModel | None = None,
    taxonomy: Sequence[Theme] | None = None,
    threshold: float = 0.5,
    keywords: bool = True,
) -> list[list[tuple[str, float]]]:
    """Themes of each text, ``[(theme, score), ...]`` with score ≥ ``threshold``, best first.

    Uses ``model`` when given and its themes cover the taxonomy, plus (``keywords=True``) the
    keyword lexicon; without a model, the keyword lexicon alone.

    Examples
    --------
    >>> classify(["开展燃气安全专项整治，排查安全隐患，加强应急救援能力建设。"], model=load_model())
    [[('安全生产', 1.0)]]
    """
    taxonomy = load_taxonomy() if taxonomy is None else taxonomy
    if model is not None and not {t.name for t in taxonomy} <= set(model.themes):
        model = None
    S = _scores(list(texts), model, taxonomy, keywords=keywords)
    names = [t.name for t in taxonomy]
    out = []
    for row in S:
        picked = [(names[j], round(float(row[j]), 3)) for j in np.argsort(-row) if row[j] >= threshold]
        out.append(picked)
    return out


# --------------------------------------------------------------------------- the component


def _write(doc: Doc, items: list[dict]) -> None:
    """Write sentence spans; sentence boundaries are token boundaries already (qidu_structure),
    so spans are made directly, and :func:`qidu_nlp.spans.write_spans` (which may retokenise)
    is used only when some boundary is not."""
    spans = []
    for it in items:
        span = doc.char_span(it["start"], it["end"], label=it["label"])
        if span is None:
            write_spans(doc, SPANS_KEY, items)
            return
        spans.append(span)
    for it in items:
        set_span_attrs(doc, it["label"], it["start"], it["end"], score=it["score"])
    doc.spans[SPANS_KEY] = spans


class ThemeTagger:
    """The ``qidu_themes`` component: themes of every paragraph and sentence.

    Paragraph score = ``(1 - heading_weight) * p(paragraph) + heading_weight * p(heading)``
    where the heading is the paragraph's deepest section heading (none: the paragraph itself).
    Sentence score = ``(1 - context_weight) * p(sentence) + context_weight * paragraph score``:
    short sentences borrow their paragraph's theme. A theme is kept at ``score >= threshold``.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "qidu_themes",
        *,
        threshold: float = 0.5,
        context_weight: float = 0.5,
        heading_weight: float = 0.2,
        mode: Literal["model+keywords", "model", "keywords"] = "model+keywords",
        model_path: str | None = None,
        taxonomy_path: str | None = None,
    ):
        self.name = name
        self.threshold = threshold
        self.context_weight = context_weight
        self.heading_weight = heading_weight
        self.mode = mode
        self.taxonomy = load_taxonomy(taxonomy_path)
        self.model = load_model(model_path) if mode != "keywords" else None
        if self.model is not None and not {t.name for t in self.taxonomy} <= set(self.model.themes):
            logger.warning(
                "theme model covers %s but the taxonomy names %s; using keywords (retrain: qidu train themes)",
                self.model.themes, [t.name for t in self.taxonomy],
            )
            self.model = None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.taxonomy)

    def __len__(self) -> int:
        return len(self.taxonomy)

    def score_doc(self, doc: Doc) -> tuple[list[tuple[int, int]], np.ndarray, list[tuple[int, int]], np.ndarray, list[int]]:
        """Paragraph offsets and scores, sentence offsets and scores, and each sentence's paragraph."""
        text = doc_text(doc)
        norm = normalize(text)
        paragraphs = [tuple(p) for p in (doc._.paragraphs or split_paragraphs(text))]
        if doc.has_annotation("SENT_START"):
            sents = [trim_span(norm, s, e) for s, e in sentence_offsets(doc)]
        else:
            sents = split_sentences(text, paragraphs)
        sents = [(s, e) for s, e in sents if e > s]
        sections = doc._.sections
        paths = [p for *_, p in sections] if sections else section_paths(text, paragraphs)
        headings = [p.rsplit(" > ", 1)[-1] if p else "" for p in paths]
        para_texts = [norm[s:e] for s, e in paragraphs]
        uniq_heads = sorted({h for h in headings if h})
        S_para = _scores(para_texts, self.model, self.taxonomy, keywords=self.mode != "model", normalized=True)
        if uniq_heads and self.heading_weight:
            S_head = _scores(uniq_heads, self.model, self.taxonomy, keywords=self.mode != "model")
            hidx = {h: i for i, h in enumerate(uniq_heads)}
            for i, h in enumerate(headings):
                if h and h != para_texts[i]:
                    S_para[i] = (1 - self.heading_weight) * S_para[i] + self.heading_weight * S_head[hidx[h]]
        S_sent = _scores([norm[s:e] for s, e in sents], self.model, self.taxonomy, keywords=self.mode != "model",
                         normalized=True)
        p_starts = [s for s, _ in paragraphs]
        import bisect

        sent_para = [bisect.bisect_right(p_starts, s) - 1 for s, _ in sents]
        for i, pi in enumerate(sent_para):
            if pi >= 0 and self.context_weight:
                S_sent[i] = (1 - self.context_weight) * S_sent[i] + self.context_weight * S_para[pi]
        return paragraphs, S_para, sents, S_sent, sent_para

    def __call__(self, doc: Doc) -> Doc:
        paragraphs, S_para, sents, S_sent, _ = self.score_doc(doc)
        names = self.labels
        doc.user_data[PARAGRAPH_KEY] = [
            [[names[j], round(float(row[j]), 3)] for j in np.argsort(-row, kind="stable") if row[j] >= self.threshold]
            for row in S_para
        ]
        items = []
        for i, j in zip(*np.nonzero(S_sent >= self.threshold)):  # row-major: sentence order kept
            s, e = sents[i]
            items.append({"start": s, "end": e, "label": names[j], "score": round(float(S_sent[i, j]), 3)})
        _write(doc, items)
        return doc

    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        cfg = {"threshold": self.threshold, "context_weight": self.context_weight,
               "heading_weight": self.heading_weight, "mode": self.mode}
        (path / "cfg.json").write_text(json.dumps(cfg), encoding="utf-8")
        lines = []
        for t in self.taxonomy:
            lines += ["[[theme]]", f"name = {json.dumps(t.name, ensure_ascii=False)}",
                      f"description = {json.dumps(t.description, ensure_ascii=False)}",
                      f"keywords = {json.dumps(list(t.keywords), ensure_ascii=False)}",
                      f"strong = {json.dumps(list(t.strong), ensure_ascii=False)}", ""]
        (path / DEFAULT_TAXONOMY).write_text("\n".join(lines), encoding="utf-8")
        if self.model is not None:
            self.model.save(path / DEFAULT_MODEL)

    def from_disk(self, path, exclude=tuple()):
        path = Path(path)
        cfg = json.loads((path / "cfg.json").read_text(encoding="utf-8"))
        for key, value in cfg.items():
            setattr(self, key, value)
        self.taxonomy = load_taxonomy(path / DEFAULT_TAXONOMY)
        model_file = path / DEFAULT_MODEL
        self.model = ThemeModel.load(model_file) if model_file.exists() else None
        return self


@Language.factory(
    "qidu_themes",
    assigns=["doc.spans"],
    default_config={
        "threshold": 0.5,
        "context_weight": 0.5,
        "heading_weight": 0.2,
        "mode": "model+keywords",
        "model_path": None,
        "taxonomy_path": None,
    },
)
def make_themes(
    nlp: Language,
    name: str,
    threshold: float,
    context_weight: float,
    heading_weight: float,
    mode: str,
    model_path: str | None,
    taxonomy_path: str | None,
) -> ThemeTagger:
    """Factory of :class:`ThemeTagger` (``nlp.add_pipe("qidu_themes")`` after ``qidu_quantities``)."""
    return ThemeTagger(
        nlp, name, threshold=threshold, context_weight=context_weight, heading_weight=heading_weight,
        mode=mode, model_path=model_path, taxonomy_path=taxonomy_path,
    )
