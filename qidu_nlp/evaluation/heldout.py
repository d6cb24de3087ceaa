"""qidu_nlp.evaluation.heldout: the shipped judges' held-out scores, as measured when they were trained.

The entity judge is scored leave-one-province-out and the slogan judge by folds grouped by
province (:mod:`qidu_nlp.training`); the scores are stored with the models
(``qidu_nlp/data/entities/judge.joblib``, ``qidu_nlp/data/slogans/model.joblib``), so
``qidu bench`` and ``benchmarks/accuracy.py`` print them next to the blind and training-fit
tables without retraining.

Examples
--------
>>> cv = held_out_scores()
>>> cv["entities"]["cv_folds"]
'leave one province out'
"""

from __future__ import annotations

from ..resources import data_folder
from ..rules.entities.judge import MODEL_FILE, EntityJudge
from ..rules.slogans import load_model
from ..schema import ENTITY_LABELS

__all__ = ["held_out_scores", "held_out_markdown"]


def held_out_scores() -> dict:
    """The cross-validated scores stored with the shipped judges: ``{"entities": …, "slogans": …}``."""
    return {"entities": EntityJudge.load(data_folder("entities") / MODEL_FILE).metrics,
            "slogans": load_model().metrics}


def held_out_markdown(cv: dict) -> str:
    """The held-out scores as a markdown table: per gold file, strict F1 per entity label, the
    entities' micro F1, the slogans' strict F1 and kind accuracy."""
    ent, slo = cv["entities"], cv["slogans"]
    lines = [
        f"### Held-out provinces: the trained judges cross-validated ({ent['documents']} training documents, "
        f"{len(ent['groups'])} provinces)",
        "",
        f"Entities: every document scored by a judge trained on the other provinces (leave one province "
        f"out); threshold {ent['threshold']} and decoder `{ent['decoder']}` chosen on those held-out scores. "
        f"Slogans: {slo['folds']} folds grouped by {slo.get('fold_groups', 'document')}.",
        "",
        "| data | " + " | ".join(ENTITY_LABELS) + " | entities micro | SLOGAN | slogan kind acc |",
        "|---|" + "--:|" * (len(ENTITY_LABELS) + 3),
    ]
    names = ["all", *ent.get("by_file", {})]
    for name in names:
        scores = ent["cv"] if name == "all" else ent["by_file"][name]
        s = slo if name == "all" else slo.get("by_file", {}).get(name, {})
        cells = [_cell(scores.get(lab)) for lab in ENTITY_LABELS]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {scores['micro']['f1']:.3f} | "
                     f"{_num(s.get('strict_f1'))} | {_num(s.get('kind_accuracy'))} |")
    lines.append("")
    lines.append("Cells: strict F1 (gold spans). The slogan judge against the simple rules on the same "
                 f"documents: strict F1 {slo['strict_f1']:.3f} vs {slo['rules_strict_f1']:.3f}.")
    return "\n".join(lines) + "\n"


def _cell(r: dict | None) -> str:
    return "–" if not r else f"{r['f1']:.3f} ({r['gold']})"


def _num(x) -> str:
    return "–" if x is None else f"{x:.3f}"
