"""The rules give the same spans in every process: nothing they return may depend on the order
Python happens to iterate a set in, which changes with PYTHONHASHSEED from one process to the
next (a worker, a Dask task, tomorrow's run). Found on local_gov_reports: “康养600”小镇项目 was
read through the suffix 小镇 or 项目 depending on the process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from qidu_nlp.rules.entities import load_lexicons

ROOT = Path(__file__).resolve().parents[1]

_RUN = """
import json, sys
from qidu_nlp.rules.entities import find_entities
from qidu_nlp.rules.slogans import detect
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(line)["text"]
    out.append([[(e["label"], e["start"], e["end"]) for e in find_entities(t)],
                [(s["start"], s["end"], s["kind"]) for s in detect(t)]])
print(json.dumps(out))
"""


def test_suffixes_of_one_length_come_in_a_fixed_order():
    lex = load_lexicons()
    for suffixes in (lex.project_suffixes, lex.org_suffixes, lex.org_names, lex.leader_names, lex.generic_tails):
        assert suffixes == sorted(suffixes, key=lambda s: (-len(s), s))


def test_entities_and_slogans_do_not_depend_on_the_hash_seed(tmp_path):
    texts = tmp_path / "texts.jsonl"
    gold = ROOT / "corpora" / "annotations" / "local_train.jsonl"
    lines = gold.read_text(encoding="utf-8").splitlines()[:20]
    lines.append(json.dumps({"text": "加快“康养600”小镇项目建设，推进华中金融城·资本中心建设"}, ensure_ascii=False))
    texts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _RUN, str(texts)], env=env, cwd=ROOT,
                              capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1]
    assert len(runs[0]) == 21 and any(runs[0][-1][0])
