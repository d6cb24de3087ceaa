"""qidu_nlp.cli: the ``qidu`` command. The only module that prints; every command calls the public API."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import List, Optional

import typer

from . import diffusion as diffusion_module
from .corpus import Corpus
from .errors import InputError
from .evaluation.bench import bench as run_bench
from .evaluation.gold import load_gold, sample_gold_path
from .evaluation.heldout import held_out_markdown, held_out_scores
from .evaluation.indicators import bench_indicators
from .evaluation.predict import load_detector, predict_file
from .pipeline.download import download as fetch
from .training import entities as train_entities_module
from .training import glossary as glossary_module
from .training import slogans as train_slogans_module
from .training import themes as train_themes_module

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="qidu: slogans, entities, quantities and co-occurrence graphs of Chinese policy text.")
train_app = typer.Typer(no_args_is_help=True, help="Train the shipped models again (reproducibly).")
app.add_typer(train_app, name="train")
glossary_app = typer.Typer(no_args_is_help=True, help="The glossary of official English renderings of slogans.")
app.add_typer(glossary_app, name="glossary")


def _err(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)


@app.command()
def download(force: bool = typer.Option(False, "--force", help="Download again even if installed.")) -> None:
    """Fetch the trained pkuseg model (pkuseg==0.0.25 sdist, via pip) into $QIDU_NLP_HOME."""
    try:
        fetch(force=force, report=typer.echo)
    except RuntimeError as exc:
        _err(str(exc))
        raise typer.Exit(1)


@app.command()
def analyze(
    paths: List[Path] = typer.Argument(None, help="Files or folders (.txt .md .docx .json .jsonl); default: the bundled sample report."),
    output: Path = typer.Option(Path("qidu-out"), "-o", "--output", help="Output folder."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes."),
    batch_size: int = typer.Option(8, "--batch-size", min=1, help="Documents per batch."),
    window: str = typer.Option("sentence", help="Co-occurrence window: sentence, paragraph or section."),
    engine: str = typer.Option("local", help="local or dask."),
    scheduler: Optional[str] = typer.Option(None, help="Dask scheduler address (with --engine dask)."),
    resume: bool = typer.Option(False, "--resume", help="Skip documents already processed in OUTPUT."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    segmenter: str = typer.Option("pkuseg", help="pkuseg (default) or char (no model)."),
    to_simplified: bool = typer.Option(False, "--to-simplified", help="Fold traditional characters to simplified before analysis (offsets stay those of the original)."),
    doc_timeout: float = typer.Option(300.0, "--doc-timeout", min=0, help="Seconds a document (or a 200,000-character piece of a long one) may take; it is then stopped and listed in errors.csv (0: no limit)."),
) -> None:
    """Run the pipeline over a corpus and write documents, mentions, indicators, slogans, graph and report.html."""
    corpus = Corpus.from_paths(*(paths or []))
    try:
        result = corpus.analyze(workers=workers, batch_size=batch_size, engine=engine, scheduler=scheduler,
                                window=window, progress=not quiet, output_dir=output, resume=resume,
                                to_simplified=to_simplified, doc_timeout=doc_timeout or None,
                                **({"loader_kwargs": {"segmenter": segmenter}} if segmenter != "pkuseg" else {}))
    except KeyboardInterrupt:
        _err(f"interrupted: finished documents are kept in {output / '.qidu-cache'}; "
             f"run the same command with --resume to continue")
        raise typer.Exit(130)
    started = time.perf_counter() - result.stats["seconds"]
    result.to_dir(output)
    s = result.stats
    reused = f" ({s['reused']} reused from an earlier run)" if s.get("reused") else ""
    typer.echo(f"{s['documents']} documents done{reused}, {s['failed']} failed, {s['mentions']} mentions "
               f"in {s['seconds']:.1f} s (last document {s['last_document']:.1f} s, outputs written "
               f"{time.perf_counter() - started:.1f} s) -> {output.resolve()} (open {output.resolve() / 'report.html'})")
    if s["failed"]:
        _err(f"{s['failed']} input(s) could not be processed: see {output / 'errors.csv'}")
        raise typer.Exit(2)


@app.command()
def predict(
    input: Path = typer.Argument(..., help="A JSONL file in the gold schema (only id and text are read)."),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write the predictions (JSONL, gold schema)."),
    labels: Optional[List[str]] = typer.Option(None, "--labels", help="Only these labels (repeatable)."),
    detector: Optional[str] = typer.Option(None, help="module:function of another detector."),
) -> None:
    """Write predictions in exactly the gold schema (the contract external scorers use)."""
    try:
        n = predict_file(input, output, labels=labels, detector=load_detector(detector) if detector else None)
    except InputError as exc:
        _err(str(exc))
        raise typer.Exit(1)
    typer.echo(f"{n} documents -> {output}")


@app.command()
def bench(
    gold: List[Path] = typer.Argument(None, help="Gold JSONL files; default: the bundled sample's gold."),
    baselines: bool = typer.Option(False, "--baselines", help="Also run the baselines on the same data."),
    labels: Optional[List[str]] = typer.Option(None, "--labels", help="Only these labels (repeatable)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the full results as JSON."),
    detector: Optional[str] = typer.Option(None, help="module:function of another detector to score."),
    indicators: Optional[List[Path]] = typer.Option(None, "--indicators", help="Indicator gold files (corpora/annotations/indicators_*.jsonl, repeatable): score indicator statements instead."),
    texts: Optional[List[Path]] = typer.Option(None, "--texts", help="Corpus files holding the indicator gold's documents (repeatable)."),
    split: Optional[List[str]] = typer.Option(None, "--split", help="blind (= heldout) or train (= dev), or all; repeatable (indicator gold also blind2, the second blind set: scores only, no errors). Span gold: every record by default; indicator gold: heldout and dev."),
) -> None:
    """Score the detector (and baselines) on gold files: strict/overlap P/R/F1 per label and more."""
    splits = [_SPLIT_NAMES.get(s, s) for s in split or []]
    bad = [s for s in splits if s not in ("blind", "train", "all") and not (indicators and s == "blind2")]
    if bad:
        _err(f"--split {bad[0]!r}: use blind (heldout), train (dev), all or, with --indicators, blind2")
        raise typer.Exit(1)
    if indicators:
        wanted = [{"blind": "heldout", "train": "dev"}.get(s, s) for s in splits] or ["heldout", "dev"]
        _bench_indicators(indicators, texts or [], wanted, baselines, json_out)
        return
    try:
        paths = list(gold or [sample_gold_path()])
        golds = [(f"{p.name} ({s})", load_gold(p, split=None if s == "all" else s)) for s in splits for p in paths] \
            if splits else paths
        report = run_bench(golds, baselines=baselines, labels=labels,
                           detector=load_detector(detector) if detector else None)
    except InputError as exc:
        _err(str(exc))
        raise typer.Exit(1)
    typer.echo(report.markdown())
    if detector is None:  # the shipped judges: their province-held-out scores, stored when trained
        typer.echo(held_out_markdown(held_out_scores()))
    if json_out:
        report.to_json(json_out)
        typer.echo(f"results -> {json_out}")


# the indicator gold names its splits heldout and dev; the span gold blind and train
_SPLIT_NAMES = {"heldout": "blind", "held-out": "blind", "dev": "train"}


def _bench_indicators(gold: List[Path], texts: List[Path], splits: List[str], baselines: bool,
                      json_out: Optional[Path]) -> None:
    try:
        report = bench_indicators(gold, texts, splits=[None if s == "all" else s for s in splits],
                                  baseline=baselines)
    except InputError as exc:
        _err(str(exc))
        raise typer.Exit(1)
    typer.echo(report.markdown())
    if json_out:
        report.to_json(json_out)
        typer.echo(f"results -> {json_out}")


@train_app.command("slogans")
def train_slogans(
    gold: List[Path] = typer.Argument(..., help="Gold JSONL files with SLOGAN spans."),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write the model."),
    seed: int = typer.Option(0, help="Random seed."),
) -> None:
    """Train the slogan judge; prints cross-validated scores (never training-set scores)."""
    metrics = train_slogans_module.train(list(gold), output, seed=seed)
    for key, value in metrics.items():
        typer.echo(f"{key}: {value}")


@train_app.command("entities")
def train_entities(
    gold: List[Path] = typer.Argument(..., help="Gold JSONL files with entity spans (documents of split 'blind' are refused)."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder (or .joblib path) for the judge."),
    judged: List[Path] = typer.Option([], "--judged", help="Mentions of a corpus judged by hand (corpora/annotations/corpus_judgements.jsonl); repeatable."),
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="The JSONL corpus of the judged mentions (../shared/corpora/local_gov_reports.jsonl)."),
    seed: int = typer.Option(0, help="Random seed."),
    c: float = typer.Option(1.0, "--C", help="Inverse regularisation strength of the logistic regression."),
) -> None:
    """Train the entity judge; prints leave-one-province-out scores (never training-set scores)."""
    try:
        metrics = train_entities_module.train(list(gold), output, judgements=list(judged), corpus=corpus, seed=seed, C=c)
    except (InputError, ValueError) as exc:
        _err(str(exc))
        raise typer.Exit(1)
    for key, value in metrics.items():
        typer.echo(f"{key}: {value}")


@train_app.command("themes")
def train_themes(
    corpora: List[Path] = typer.Argument(..., help="Corpus files for weak labels (the shipped model: ../shared/corpora national_reports.jsonl policies.jsonl cpc_congress_reports.jsonl qidu_2024.txt)."),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write the model."),
    seed: int = typer.Option(0, help="Random seed."),
) -> None:
    """Train the theme classifier on weak labels (section headings, keywords)."""
    metrics = train_themes_module.train(list(corpora), output, seed=seed)
    for key, value in metrics.items():
        typer.echo(f"{key}: {value}")


@glossary_app.command("build")
def glossary_build(
    parallel: List[Path] = typer.Argument(..., help="Aligned segment pairs, JSONL: {id, year, zh, en} per line (e.g. ../shared/corpora/national_parallel.jsonl)."),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write the glossary (TSV)."),
    slogans_from: Optional[List[Path]] = typer.Option(None, "--slogans-from", help="JSONL corpora whose slogans (found in 2+ documents) are looked for too (repeatable)."),
    terms_only: bool = typer.Option(False, "--terms-only", help="Keep only term-like renderings (quoted, capitalised, numeral): fewer, and surer."),
) -> None:
    """Learn the official English rendering of each slogan from aligned Chinese-English segments."""
    try:
        pairs = [p for path in parallel for p in glossary_module.read_pairs(path)]
        slogans = glossary_module.find_slogans(pairs, slogans_from=slogans_from or ())
    except InputError as exc:
        _err(str(exc))
        raise typer.Exit(1)
    table = glossary_module.build(pairs, slogans)
    glossary_module.write(table, output, forms=("term",) if terms_only else None)
    given = table[table["english"].astype(bool)]
    typer.echo(f"{len(pairs)} pairs, {len(table)} slogans in 2+ pairs, {len(given)} with a rendering "
               f"({int((given['form'] == 'term').sum())} term-like) -> {output}")


@app.command()
def diffusion(
    national: List[Path] = typer.Argument(..., help="National documents: government work reports, CPC congress reports (level party-congress)."),
    local: List[Path] = typer.Option(..., "--local", help="Local reports with year and level (repeatable)."),
    output: Path = typer.Option(Path("qidu-diffusion"), "-o", "--output", help="Output folder."),
    picture: bool = typer.Option(True, "--picture/--no-picture", help="Also draw diffusion.png."),
) -> None:
    """How national slogans reach local reports: first national year, local uses, lags by level, imitations."""
    for path in [*national, *local]:
        if not path.exists():
            _err(f"no such file or folder: {path}")
            raise typer.Exit(1)
    result = diffusion_module.diffusion(national, local)
    result.to_dir(output)
    if picture:
        diffusion_module.draw_timeline(result, output / "diffusion.png")
    docs = result.local_documents
    typer.echo(f"{len(result.table)} national slogans, {int((result.table['local_documents'] > 0).sum())} used locally; "
               f"{len(result.imitations)} local imitations of national forms; local sample {int(docs['documents'].sum())} "
               f"documents -> {output.resolve()}")


def main() -> None:
    app(prog_name="qidu")


if __name__ == "__main__":
    sys.exit(main())
