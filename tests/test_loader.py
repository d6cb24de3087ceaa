"""The pipeline loader and the model download."""

from __future__ import annotations

import pytest

import qidu_nlp
from qidu_nlp.pipeline import download
from qidu_nlp.errors import ModelMissingError


def test_loader_pkuseg_pipeline_has_the_components(nlp):
    assert nlp.lang == "zh"
    assert nlp.tokenizer.segmenter == "pkuseg"
    assert nlp.pipe_names[:4] == ["qidu_structure", "qidu_slogans", "qidu_entities", "qidu_quantities"]


def test_loader_pkuseg_segments_words(nlp):
    doc = nlp.make_doc("全力推进公园式村庄建设")
    assert len(doc) < len(doc.text)


def test_loader_user_dictionary_keeps_domain_terms_whole(nlp):
    doc = nlp.make_doc("坚持以习近平新时代中国特色社会主义思想为指导，围绕“1221”工作体系")
    words = [t.text for t in doc]
    assert "习近平新时代中国特色社会主义思想" in words and "工作体系" in words


def test_loader_char_segmenter_needs_no_model(tmp_path, monkeypatch):
    monkeypatch.setenv("QIDU_NLP_HOME", str(tmp_path))
    nlp = qidu_nlp.load(segmenter="char")
    assert [t.text for t in nlp.make_doc("齐都镇")] == ["齐", "都", "镇"]


def test_loader_missing_model_names_the_command(tmp_path, monkeypatch):
    monkeypatch.setenv("QIDU_NLP_HOME", str(tmp_path))
    assert not download.is_installed()
    with pytest.raises(ModelMissingError, match="qidu download"):
        qidu_nlp.load(auto_download=False)


def test_loader_unknown_segmenter():
    with pytest.raises(ValueError, match="Q002"):
        qidu_nlp.load(segmenter="jieba")


def test_download_is_idempotent(monkeypatch):
    if not download.is_installed():
        pytest.skip("model not installed")
    lines = []
    path = download.download(report=lines.append)
    assert path == download.model_dir() and lines == [f"pkuseg model already installed in {path}"]


def test_download_model_home_follows_env(tmp_path, monkeypatch):
    monkeypatch.setenv("QIDU_NLP_HOME", str(tmp_path))
    assert download.model_dir() == tmp_path / "pkuseg" / "default"
