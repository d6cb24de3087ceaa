"""qidu_nlp.pipeline.entities: the ``qidu_entities`` component.

Sets ``doc.ents`` with the seven entity labels (VILLAGE, PLACE, ORG, PROJECT, PERSON, EVENT, DOC),
one flat layer; each entity has ``span._.qidu.norm`` and, for names holding a village or place,
``span._.qidu.parts``. The rules of :mod:`qidu_nlp.rules.entities` propose candidates (with the
segmenter's token boundaries and the sentences of ``qidu_structure``) and the trained judge
(``judge.joblib``, ``qidu train entities``) decides which are names; with ``use_model = false``
the longest candidates are kept (the rules alone). Its data (the gazetteer, the word lists and
the judge of ``qidu_nlp/data/entities``) are saved with the pipeline; its settings are in
``config.cfg``.

Examples
--------
>>> import qidu_nlp
>>> nlp = qidu_nlp.load(segmenter="char", components=["qidu_structure", "qidu_entities"])
>>> [(e.text, e.label_) for e in nlp("区委书记 王伟在遨博（山东）智能机器人调研。").ents]
[('王伟', 'PERSON'), ('遨博（山东）智能机器人', 'ORG')]
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Optional

from spacy.language import Language
from spacy.tokens import Doc

from ..resources import data_folder
from ..errors import InputError
from ..rules.entities import find_entities
from ..rules.entities.judge import MODEL_FILE, EntityJudge
from ..rules.entities.lexicons import DATA_FILES, Lexicons, read_lexicons
from ..schema import ENTS_KEY
from .datafiles import DataFiles, SavedAsDataFiles
from .docs import doc_text, sentence_offsets, token_ends, token_starts
from .spans import write_spans

__all__ = ["EntityRecognizer", "make_entities"]

FILES = (*DATA_FILES, MODEL_FILE)


class EntityRecognizer(SavedAsDataFiles):
    """The ``qidu_entities`` component.

    Parameters
    ----------
    nlp : Language
        The pipeline.
    name : str
        The component name.
    use_model : bool
        True: the trained judge decides which candidates are names; False: the longest
        candidates are kept (the rules alone).
    threshold : float or None
        The judge's decision threshold; None takes the one chosen on held-out provinces when it
        was trained.
    model : str or None
        Path of a judge trained by ``qidu train entities``, read at :meth:`initialize`; None
        takes the packaged one.
    scorer : callable
        Scores the component (``nlp.evaluate``, ``spacy evaluate``): spaCy's NER scorer.
    """

    data_files = FILES  # what to_disk writes and from_disk reads back

    def __init__(self, nlp: Language, name: str = "qidu_entities", *, use_model: bool = True,
                 threshold: Optional[float] = None, model: Optional[str] = None,
                 scorer: Optional[Callable] = None):
        self.name = name
        self.use_model = use_model
        self.threshold = threshold
        self.model_path = model
        self.scorer = scorer
        self.files: DataFiles | None = None
        self.lexicons: Lexicons | None = None
        self.judge: EntityJudge | None = None

    def initialize(self, get_examples: Callable[[], Iterable] | None = None, *, nlp: Language | None = None) -> None:
        """Read the packaged gazetteer, word lists and judge (or the judge at ``model``), and
        build their look-up sets."""
        files = DataFiles.read(data_folder("entities"), FILES)
        if self.model_path:
            path = Path(self.model_path)
            if not path.is_file():
                raise InputError(str(path), "no entity judge there (train one with `qidu train entities GOLD.jsonl -o DIR`)")
            files.files[MODEL_FILE] = path.read_bytes()
        self._load(files)

    def _load(self, files: DataFiles) -> None:
        self.files = files
        self.lexicons = read_lexicons(files.folder()).prepare()
        self.judge = EntityJudge.from_bytes(files.files[MODEL_FILE]) if MODEL_FILE in files.files else None
        if self.judge is not None and self.threshold is not None:
            self.judge.threshold = float(self.threshold)

    def __call__(self, doc: Doc) -> Doc:
        write_spans(doc, ENTS_KEY, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[dict]:
        """The entity dicts of ``doc`` (character offsets)."""
        if self.lexicons is None:
            self.initialize()
        sents = sentence_offsets(doc) if doc.has_annotation("SENT_START") else None
        judge = self.judge if self.use_model else None
        return find_entities(doc_text(doc), sents, token_starts(doc), token_ends(doc), self.lexicons, judge=judge)

    def score(self, examples: Iterable, **kwargs) -> dict:
        """Entity P/R/F overall and per label (spaCy's NER scorer on ``doc.ents``)."""
        return self.scorer(examples, **kwargs)


@Language.factory(
    "qidu_entities",
    assigns=["doc.ents"],
    requires=["token.is_sent_start"],
    default_config={"use_model": True, "threshold": None, "model": None,
                    "scorer": {"@scorers": "spacy.ner_scorer.v1"}},
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_entities(nlp: Language, name: str, use_model: bool, threshold: Optional[float], model: Optional[str],
                  scorer: Callable) -> EntityRecognizer:
    """Build the ``qidu_entities`` component (settings: see :class:`EntityRecognizer`)."""
    return EntityRecognizer(nlp, name, use_model=use_model, threshold=threshold, model=model, scorer=scorer)
