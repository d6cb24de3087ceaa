"""Shared fixtures: the pipelines (loaded once per session), the bundled report, the shared corpora."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("QIDU_SHARED", ROOT.parent / "shared"))
CORPORA = SHARED / "corpora"
LOCAL_DEV_GOLD = CORPORA / "local_dev" / "gold.jsonl"
QIDU_TXT = ROOT / "corpora" / "qidu_2024.txt"
QIDU_GOLD = ROOT / "corpora" / "annotations" / "qidu_2024.jsonl"


def shared_file(name: str) -> Path:
    """Path of a file in ../shared/corpora, or skip the test with the reason."""
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"{path} not present (the shared corpora are not in this checkout)")
    return path


@pytest.fixture(scope="session")
def nlp():
    """The full pipeline with the pkuseg segmenter (model installed by `make`)."""
    import qidu_nlp

    return qidu_nlp.load()


@pytest.fixture(scope="session")
def nlp_char():
    """The full pipeline on spaCy's character segmenter (no model needed)."""
    import qidu_nlp

    return qidu_nlp.load(segmenter="char")


@pytest.fixture(scope="session")
def qidu_text() -> str:
    return QIDU_TXT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def qidu_doc(nlp, qidu_text):
    return nlp(qidu_text)


@pytest.fixture(scope="session")
def local_dev_gold() -> list[dict]:
    path = shared_file("local_dev/gold.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
