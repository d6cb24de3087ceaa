"""qidu_nlp.errors: coded error messages and exception types.

Every message says what happened, which value or place caused it, and what to do.
"""

from __future__ import annotations


class QiduError(Exception):
    """Base class of the library's own errors."""


class ModelMissingError(QiduError):
    """The pkuseg segmentation model is not installed and cannot be fetched."""


class InputError(QiduError):
    """An input file or record cannot be read.

    Parameters
    ----------
    source : str
        The file (and line, where there is one) that failed.
    reason : str
        What is wrong with it.
    """

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class Errors:
    Q001 = (
        "[Q001] The pkuseg segmentation model is not installed in {path} and could not be "
        "fetched ({reason}). Run `qidu download` on a machine with access to the package "
        "index, or set QIDU_NLP_HOME to a folder that holds it, or use "
        "qidu_nlp.load(segmenter='char') for a model-free pipeline."
    )
    Q002 = "[Q002] Unknown segmenter {value!r}; choose one of {choices}."
    Q003 = "[Q003] Path does not exist: {path}"
    Q004 = "[Q004] Empty document (no text after decoding)."
    Q005 = "[Q005] Binary file: {detail}; not a text document."
    Q006 = "[Q006] Cannot determine the encoding of the file (tried UTF-8, UTF-16, GB18030 and detection)."
    Q007 = "[Q007] Line {line}: malformed JSON ({detail})."
    Q008 = "[Q008] Line {line}: record has no string field {field!r}."
    Q009 = "[Q009] Not a valid .docx file: {detail}."
    Q010 = "[Q010] Unsupported file type {suffix!r}; qidu reads .txt, .md, .docx, .json and .jsonl."
    Q011 = "[Q011] Span ({start}, {end}) of {label} lies outside the text of length {length}."
    Q012 = ("[Q012] worker process died while analysing this document ({detail}); it was retried alone and "
            "died again.")
    Q013 = "[Q013] the Dask task of this document failed ({detail})."
    Q014 = "[Q014] Settings given for components not in the pipeline: {names}; the pipeline has {components}."
    Q015 = ("[Q015] stopped after {seconds:g} s, its time budget (--doc-timeout); the run went on without it. "
            "Raise the budget to analyse it, or look at the text for what makes it slow.")
