"""qidu_nlp.pipeline.loader: build the qidu pipeline (spaCy ``zh`` with pkuseg and the qidu components)."""

from __future__ import annotations

import json
import logging
import weakref
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping

from spacy.language import Language

from ..errors import Errors, ModelMissingError
from ..resources import data_folder, read_lines
from ..rules.slogans.lexicons import load_lexicons
from .download import download, is_installed, model_dir
from .language import QiduChinese
from .segmenter import FastPkuseg, build_index, index_ready

__all__ = ["load", "loaded", "user_dict_words", "COMPONENTS", "MAX_LENGTH"]

logger = logging.getLogger("qidu_nlp")

COMPONENTS = ("qidu_structure", "qidu_slogans", "qidu_entities", "qidu_quantities", "qidu_themes")
MAX_LENGTH = 20_000_000
_LOADED: dict[str, tuple] = {}  # load arguments → (weak reference to the pipeline, its components)


def _load_key(segmenter: str, components: Iterable[str], model_path, config) -> str:
    return json.dumps([segmenter, list(components), str(model_path) if model_path else None, dict(config or {})],
                      sort_keys=True, default=str)


def loaded(segmenter: str = "pkuseg", *, components: Iterable[str] = COMPONENTS, model_path=None,
           config: Mapping[str, Mapping[str, Any]] | None = None, **_) -> Language | None:
    """The pipeline :func:`load` returned for these arguments earlier in this process, if it is
    still in use and still has the components it was loaded with; else None.

    ``Corpus.analyze()`` without a pipeline takes it rather than loading another.

    Examples
    --------
    >>> nlp = load(segmenter="char", components=["qidu_structure"])
    >>> loaded(segmenter="char", components=["qidu_structure"]) is nlp
    True
    >>> _ = nlp.add_pipe("qidu_slogans")
    >>> loaded(segmenter="char", components=["qidu_structure"]) is None
    True
    """
    ref, names = _LOADED.get(_load_key(segmenter, components, model_path, config), (None, None))
    nlp = ref() if ref is not None else None
    return nlp if nlp is not None and tuple(nlp.pipe_names) == names else None


def user_dict_words() -> list[str]:
    """Domain words pushed into pkuseg's user dictionary: the closed list of national formulas
    and the frame nouns that follow slogans (工作体系, 发展蓝图 …), in file order.

    Examples
    --------
    >>> words = user_dict_words()
    >>> "新发展理念" in words and "工作体系" in words
    True
    """
    words = [*load_lexicons().formulas, *(line.split("\t")[0].strip() for line in read_lines(data_folder("slogans"), "frames.txt"))]
    return list(dict.fromkeys(w for w in words if w))


def _set_segmenter(nlp: Language, path: Path) -> None:
    """pkuseg with its features looked up by array (:mod:`qidu_nlp.pipeline.segmenter`, the
    same words, no 2.6-million-entry dict to read), else spacy-pkuseg's own."""
    try:
        if not index_ready(path):
            logger.warning("building the feature index of the pkuseg model in %s (once, about 10 s)", path)
            build_index(path)
        nlp.tokenizer.pkuseg_seg = FastPkuseg(path)
    except OSError as exc:  # a model folder we cannot write to
        logger.warning("no feature index for the pkuseg model in %s (%s); using spacy-pkuseg's own, "
                       "slower to load and to run", path, exc)
        nlp.tokenizer.initialize(pkuseg_model=str(path), pkuseg_user_dict="default")


def load(
    segmenter: Literal["pkuseg", "char"] = "pkuseg",
    *,
    components: Iterable[str] = COMPONENTS,
    model_path: str | Path | None = None,
    auto_download: bool = True,
    config: Mapping[str, Mapping[str, Any]] | None = None,
) -> Language:
    """Return the qidu_nlp pipeline: spaCy Chinese with pkuseg and the qidu components.

    Parameters
    ----------
    segmenter : {"pkuseg", "char"}
        ``"pkuseg"`` (default) uses the trained pkuseg model with the library's user dictionary
        of domain terms; ``"char"`` needs no model (one token per character), for quick tests.
    components : iterable of str
        The components to add, in order (default: structure, slogans, entities, quantities, themes).
    model_path : path, optional
        A folder with ``features.msgpack`` and ``weights.npz``; default the ``qidu download``
        cache (``$QIDU_NLP_HOME``).
    auto_download : bool
        Fetch the model once when it is missing (as ``qidu download`` would).
    config : mapping, optional
        Settings of components by name, as in their ``default_config``:
        ``{"qidu_entities": {"use_model": False}}`` keeps the rules alone,
        ``{"qidu_slogans": {"threshold": 0.7}}`` a stricter slogan judge.

    Returns
    -------
    Language
        The pipeline. ``nlp(text)`` gives a Doc with ``doc.spans["slogans"]``, ``doc.ents`` and
        ``doc.spans["quantities"]``.

    Raises
    ------
    ModelMissingError
        When the pkuseg model is missing and cannot be fetched; the message names the command.

    Examples
    --------
    >>> import qidu_nlp
    >>> nlp = qidu_nlp.load(segmenter="char")
    >>> doc = nlp("围绕“1221”工作体系，聚焦“强富美优”城市愿景。")
    >>> [(s.text, s._.qidu.kind) for s in doc.spans["slogans"]]
    [('1221', 'numeric'), ('强富美优', 'motto')]
    """
    if segmenter not in ("pkuseg", "char"):
        raise ValueError(Errors.Q002.format(value=segmenter, choices="'pkuseg', 'char'"))
    nlp = QiduChinese.from_config({"nlp": {"tokenizer": {"segmenter": segmenter}}})
    if segmenter == "pkuseg":
        path = Path(model_path) if model_path else model_dir()
        if not is_installed(path) and model_path is None:
            if not auto_download:
                raise ModelMissingError(Errors.Q001.format(path=path, reason="auto_download=False"))
            logger.warning("pkuseg model missing in %s; fetching it once (qidu download)", path)
            try:
                download()
            except (RuntimeError, OSError) as exc:
                raise ModelMissingError(Errors.Q001.format(path=path, reason=exc)) from None
        _set_segmenter(nlp, path)
        words = user_dict_words()
        if words:
            nlp.tokenizer.pkuseg_update_user_dict(words)
    nlp.max_length = MAX_LENGTH
    components = list(components)
    config = dict(config or {})
    unknown = set(config) - set(components)
    if unknown:
        raise ValueError(Errors.Q014.format(names=sorted(unknown), components=list(components)))
    for name in components:
        component = nlp.add_pipe(name, config=dict(config.get(name, {})))
        if hasattr(component, "initialize"):
            component.initialize(nlp=nlp)  # read the data now, not in the first document
    _LOADED[_load_key(segmenter, components, model_path, config)] = (weakref.ref(nlp), tuple(nlp.pipe_names))
    return nlp
