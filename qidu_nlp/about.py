"""Package metadata."""

__version__ = "0.1.0"
__title__ = "qidu_nlp"
