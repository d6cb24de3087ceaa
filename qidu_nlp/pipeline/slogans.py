"""qidu_nlp.pipeline.slogans: the ``qidu_slogans`` component.

Writes ``doc.spans["slogans"]`` (label ``SLOGAN``) as the annotation guide says: each span is the
slogan without its quotation marks, with ``span._.qidu.kind`` (numeric, motto, campaign,
formula), ``span._.qidu.norm``, ``span._.qidu.frame`` (the head noun after it, or None),
``span._.qidu.score`` (a probability) and ``span._.qidu.english`` (the official English rendering
from the slogan glossary, :mod:`qidu_nlp.rules.slogans.glossary`, or None). The work is :func:`qidu_nlp.rules.slogans.detect`; a
slogan never crosses a sentence. Its data (the lexicons of ``qidu_nlp/data/slogans`` and the
trained judge) are saved with the pipeline; its settings are in ``config.cfg``.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("zh")
>>> _ = nlp.add_pipe("qidu_slogans")
>>> doc = nlp("落实“三提三争”活动部署，坚决捍卫“两个确立”。")
>>> [(s.text, s._.qidu.kind, s._.qidu.frame) for s in doc.spans["slogans"]]
[('三提三争', 'numeric', '活动'), ('两个确立', 'numeric', None)]
>>> doc = nlp("推进“一带一路”建设。")
>>> [s._.qidu.english for s in doc.spans["slogans"]]
['Belt and Road Initiative']
"""

from __future__ import annotations

import bisect
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from ..resources import data_folder
from ..rules.slogans import detect
from ..rules.slogans.features import rule_kind
from ..rules.slogans.glossary import GLOSSARY_FILE, Glossary, read_glossary
from ..rules.slogans.judge import MODEL_FILE, SloganModel
from ..rules.slogans.lexicons import DATA_FILES, read_lexicons
from ..schema import SLOGANS_KEY
from .datafiles import DataFiles, SavedAsDataFiles
from .docs import doc_text, sentence_offsets
from .spans import write_spans

__all__ = ["SloganDetector", "make_slogans"]

FILES = (*DATA_FILES, MODEL_FILE, GLOSSARY_FILE)


class SloganDetector(SavedAsDataFiles):
    """The ``qidu_slogans`` component.

    Parameters
    ----------
    nlp : Language
        The pipeline.
    name : str
        The component name.
    spans_key : str
        The span group to write.
    threshold : float or None
        Decision threshold of the judge; None takes the one chosen on held-out folds when the
        model was trained.
    use_model : bool
        False judges the candidates by simple rules (no scikit-learn model).
    model : str or None
        Path of a model trained by ``qidu train slogans``, read at :meth:`initialize`; None takes
        the packaged one.
    known : list of str
        Corpus-level slogans (``"TEXT"`` or ``"TEXT<TAB>KIND"``) also found unquoted.
    scorer : callable
        Scores the component (``nlp.evaluate``, ``spacy evaluate``).
    """

    data_files = FILES  # what to_disk writes and from_disk reads back

    def __init__(self, nlp: Language, name: str = "qidu_slogans", *, spans_key: str = SLOGANS_KEY,
                 threshold: Optional[float] = None, use_model: bool = True, model: Optional[str] = None,
                 known: Sequence[str] = (), scorer: Optional[Callable] = None):
        self.name = name
        self.spans_key = spans_key
        self.threshold = threshold
        self.use_model = use_model
        self.model_path = model
        self.known_items = list(known)
        self.scorer = scorer
        self.files: DataFiles | None = None
        self.lexicons = None
        self.model: SloganModel | None = None
        self.glossary = Glossary()

    # -- data
    def initialize(self, get_examples: Callable[[], Iterable] | None = None, *, nlp: Language | None = None) -> None:
        """Read the packaged lexicons and model (or the model at ``model``)."""
        files = DataFiles.read(data_folder("slogans"), FILES)
        if self.model_path:
            files.files[MODEL_FILE] = Path(self.model_path).read_bytes()
        self._load(files)

    def _load(self, files: DataFiles) -> None:
        self.files = files
        self.lexicons = read_lexicons(files.folder())
        self.model = SloganModel.from_bytes(files.files[MODEL_FILE]) if MODEL_FILE in files.files else None
        self.known = self._parse_known(self.known_items)
        self.glossary = read_glossary(files.folder())

    def _parse_known(self, known) -> dict:
        out = {}
        for item in known or ():
            text, _, kind = str(item).partition("\t")
            text = text.strip()
            if text:
                out[text] = kind.strip() or (rule_kind(text, {"source": "quoted"}, self.lexicons) or "motto")
        return out

    # -- annotation
    def __call__(self, doc: Doc) -> Doc:
        write_spans(doc, self.spans_key, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[dict]:
        """The slogan span dicts of ``doc`` (sentence boundaries respected)."""
        if self.files is None:
            self.initialize()
        items = detect(
            doc_text(doc), model=self.model, lexicons=self.lexicons, threshold=self.threshold,
            use_model=self.use_model and self.model is not None, known=self.known,
        )
        if doc.has_annotation("SENT_START"):
            ends = [e for _, e in sentence_offsets(doc)]  # sorted
            items = [it for it in items if ends[bisect.bisect_right(ends, it["start"])] >= it["end"]]
        for it in items:
            english = self.glossary.english(it["norm"])
            if english:
                it["english"] = english
        return items

    def score(self, examples: Iterable, **kwargs) -> dict:
        """Span P/R/F and kind accuracy of the ``slogans`` group (see :mod:`.scorers`)."""
        return self.scorer(examples, spans_key=self.spans_key, **kwargs)


@Language.factory(
    "qidu_slogans",
    assigns=["doc.spans"],
    requires=["token.is_sent_start"],
    default_config={"spans_key": SLOGANS_KEY, "threshold": None, "use_model": True, "model": None, "known": [],
                    "scorer": {"@scorers": "qidu.slogans_scorer.v1"}},
    default_score_weights={f"spans_{SLOGANS_KEY}_f": 1.0, f"spans_{SLOGANS_KEY}_p": 0.0,
                           f"spans_{SLOGANS_KEY}_r": 0.0, f"spans_{SLOGANS_KEY}_kind_acc": 0.0},
)
def make_slogans(nlp: Language, name: str, spans_key: str, threshold: Optional[float], use_model: bool,
                 model: Optional[str], known: list[str], scorer: Callable) -> SloganDetector:
    """Build the ``qidu_slogans`` component (settings: see :class:`SloganDetector`)."""
    return SloganDetector(nlp, name, spans_key=spans_key, threshold=threshold, use_model=use_model, model=model,
                          known=known, scorer=scorer)
