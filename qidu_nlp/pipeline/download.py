"""qidu_nlp.pipeline.download: fetch the trained pkuseg model once, with the ordinary pip client.

spacy-pkuseg ships no trained model. The ``pkuseg==0.0.25`` source distribution on the package
index carries the mixed-domain model (``pkuseg/models/default/features.pkl`` and
``weights.npz``). We ask pip for that sdist (so the user's index configuration applies and no
URL is hard-coded), extract only the two model files, convert ``features.pkl`` once to
``features.msgpack`` (the format spacy-pkuseg loads fastest) and keep the result under
``$QIDU_NLP_HOME/pkuseg/default`` (default: the per-user cache folder).

The model's terms: pkuseg's trained models are released for research use (see the README).
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Callable

import platformdirs
import srsly

from .segmenter import build_index, index_ready

logger = logging.getLogger("qidu_nlp")

PKUSEG_SDIST = "pkuseg==0.0.25"
MODEL_FILES = ("features.msgpack", "weights.npz")
_MEMBERS = {"pkuseg/models/default/features.pkl": "features.pkl", "pkuseg/models/default/weights.npz": "weights.npz"}


def home() -> Path:
    """The folder where qidu_nlp keeps downloaded models (``$QIDU_NLP_HOME`` or the user cache)."""
    env = os.environ.get("QIDU_NLP_HOME")
    return Path(env) if env else Path(platformdirs.user_cache_dir("qidu_nlp"))


def model_dir() -> Path:
    """The folder of the converted pkuseg model."""
    return home() / "pkuseg" / "default"


def is_installed(path: Path | None = None) -> bool:
    """True when the converted model is complete in ``path`` (default :func:`model_dir`)."""
    path = path or model_dir()
    return all((path / f).is_file() and (path / f).stat().st_size > 0 for f in MODEL_FILES) and (
        path / "model.json"
    ).is_file()


def download(*, force: bool = False, report: Callable[[str], None] | None = None) -> Path:
    """Fetch, extract and convert the pkuseg model; do nothing when it is already there.

    Parameters
    ----------
    force : bool
        Download again even when the model is installed.
    report : callable, optional
        Called with one line of progress at each step (the CLI prints them).

    Returns
    -------
    Path
        The model folder, ready for ``spacy-pkuseg``.

    Raises
    ------
    RuntimeError
        When pip cannot fetch the sdist (offline, no index); the message has pip's own error.
    """
    say = report or logger.info
    target = model_dir()
    if is_installed(target) and not force:
        say(f"pkuseg model already installed in {target}")
        _ensure_index(target, say)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        tmp = Path(tmp)
        say(f"[1/3] pip download --no-deps --no-build-isolation {PKUSEG_SDIST} (about 49 MB)")
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-build-isolation",
               "--no-binary", ":all:", PKUSEG_SDIST, "-d", str(tmp / "sdist")]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        archives = list((tmp / "sdist").glob("pkuseg-*.tar.gz")) if (tmp / "sdist").exists() else []
        if proc.returncode != 0 or not archives:
            raise RuntimeError(
                f"pip could not fetch {PKUSEG_SDIST}: {(proc.stderr or proc.stdout).strip()[-800:]}"
            )
        say("[2/3] extracting the model files from the source distribution")
        staging = tmp / "model"
        staging.mkdir()
        with tarfile.open(archives[0]) as tar:
            for member in tar.getmembers():
                rel = member.name.split("/", 1)[-1]
                if rel in _MEMBERS and member.isfile():
                    src = tar.extractfile(member)
                    with open(staging / _MEMBERS[rel], "wb") as out:
                        shutil.copyfileobj(src, out, 1 << 20)
        missing = [n for n in _MEMBERS.values() if not (staging / n).is_file()]
        if missing:
            raise RuntimeError(f"{archives[0].name} does not contain {missing}")
        say("[3/3] converting features.pkl to features.msgpack")
        convert_features(staging / "features.pkl", staging / "features.msgpack")
        (staging / "features.pkl").unlink()
        (staging / "model.json").write_text(
            json.dumps({"source": PKUSEG_SDIST, "files": list(MODEL_FILES), "licence": "pkuseg models: research use"}),
            encoding="utf-8",
        )
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    size = sum((target / f).stat().st_size for f in MODEL_FILES) / 1e6
    say(f"pkuseg model installed in {target} ({size:.0f} MB)")
    _ensure_index(target, say)
    return target


def _ensure_index(target: Path, say: Callable[[str], None]) -> None:
    if not index_ready(target):
        say("building the feature index of the model (qidu_nlp.pipeline.segmenter; once, about 10 s)")
        build_index(target)


def convert_features(pkl: Path, msgpack_path: Path) -> None:
    """Convert pkuseg's pickled feature table to the msgpack file spacy-pkuseg reads first.

    The pickle comes from the pkuseg sdist on the package index (trusted input of a fixed
    version); it holds plain sets, lists and dicts.
    """
    with open(pkl, "rb") as f:
        data = pickle.load(f)  # noqa: S301 - fixed, known file from the pkuseg 0.0.25 sdist
    srsly.write_msgpack(
        msgpack_path,
        {
            "unigram": sorted(data["unigram"]),
            "bigram": sorted(data["bigram"]),
            "feature_to_idx": data["feature_to_idx"],
            "tag_to_idx": data["tag_to_idx"],
        },
    )
