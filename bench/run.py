"""Benchmark the generator and the site build on synthetic content of N cards.

    python bench/run.py                       # N = 100, 1,000, 10,000: a table
    python bench/run.py --cards 1000 --json   # one JSON line per N
    python bench/run.py --cards 1000 --keep /tmp/b1000   # keep the generated projects

Content is generated in a temporary folder (never in the repository) and is plainly synthetic:
"Synthetic study 12", DOIs under the 10.5555 test prefix, example.org addresses. Every step
runs in a fresh child process; times are wall-clock (the *_cpu_s figures: the child's user and
system time), peak memory is the child's peak RSS. On a shared machine one run of the same
build varies by a fifth or more, and only ever upwards, so each figure is the fastest of
ROUNDS tries: the core, cold (in a fresh process), three times; then, in turn, three times,
a cold build (no .cache/), a warm build (with the reference cache the cold build left) and a
plain build (the same page sources without the generator). Every try is in the JSON
(`*_runs_s`); `evidence check` runs after each round, the fastest of its three runs kept.
A `serve --dirty` rebuild, under a second, is the fastest of three card edits. One more warm
build times the generator's part inside itself (`build_warm_generator_share`).
Nothing is asserted: the figures are printed (see bench/RESULTS.md for the targets).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SIZES = (100, 1_000, 10_000)
ROUNDS = 3  # tries of the core and of each build: the fastest is kept
KEYS = ("core_cold_s", "core_warm_s", "build_s", "plain_build_s", "check_s", "pdf_s",
        "peak_mb")

# ---------------------------------------------------------------------------- content

WORDS = ("participants", "adults", "supplement", "placebo", "serum", "magnesium", "hair",
         "density", "shedding", "follicle", "scalp", "weeks", "dose", "marker", "change",
         "baseline", "group", "trial", "outcome", "measured", "reported", "compared",
         "significant", "difference", "small", "sample", "control", "follow-up", "level",
         "intake", "daily", "oral", "topical", "review", "cohort", "cells", "culture")
DESIGNS = ("systematic-review", "human-rct", "human-observational", "animal", "in-vitro",
           "narrative-review", "reference-values")
REASONS = ("risk-of-bias", "imprecision", "inconsistency", "publication-bias")
QUESTIONS = ("effect", "association", "prevalence", "mechanism", "reference-values")
POOLED = ("human-rct", "human-observational", "animal", "in-vitro")
VERDICTS = ("supported", "partly-supported", "not-supported", "contradicted")
CHECKS = ("verified", "misattributed", "not-found", "none")


def _text(rng: random.Random, n_words: int, label: str = "") -> str:
    words = [rng.choice(WORDS) for _ in range(n_words)]
    return (label + " " if label else "") + " ".join(words).capitalize() + "."


def _folded(text: str, indent: int) -> str:
    """A YAML folded block (>-) of text, wrapped near 90 columns."""
    pad = " " * indent
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) > 88 - indent and line:
            lines.append(line)
            line = ""
        line = f"{line} {word}" if line else word
    lines.append(line)
    return ">-\n" + "\n".join(pad + x for x in lines)


def counts(n: int) -> tuple[int, int, int]:
    """(forms, articles, bib entries) for n cards."""
    return max(3, min(15, 3 + n // 1000)), max(3, n // 25), max(1, n // 2)


def make_content(content: Path, n: int, seed: int = 1) -> None:
    """Write n synthetic cards, their forms, articles and about n/2 bib entries."""
    rng = random.Random(seed)
    n_forms, n_sources, n_refs = counts(n)
    for sub in ("forms", "sources", "cards"):
        (content / sub).mkdir(parents=True, exist_ok=True)
    for f in range(n_forms):
        (content / "forms" / f"synthetic-form-{f}.yaml").write_text(
            f"id: synthetic-form-{f}\nname: Synthetic form {f}\n"
            f"aliases: [SF{f}, synthetic salt {f}]\n"
            f"description: {_folded(_text(rng, 30, f'Synthetic form {f}.'), 2)}\n"
            f"links:\n  - title: Synthetic fact sheet {f}\n"
            f"    url: https://example.org/synthetic/form-{f}\norder: {f}\n", encoding="utf-8")
    for s in range(n_sources):
        (content / "sources" / f"synthetic-article-{s}.yaml").write_text(
            f'id: synthetic-article-{s}\ntitle: "Synthetic article {s}"\n'
            f"site: example.org\nurl: https://example.org/synthetic/article-{s}\n"
            f"date_stated: null\naccessed: 2026-01-01\n", encoding="utf-8")
    bib = []
    for r in range(n_refs):
        bib.append(
            f"@article{{synthetic{r},\n"
            f"  author  = {{Synthetic, Author {r % 26 + 1} and Example, Bea and Sample, C.}},\n"
            f"  title   = {{Synthetic study {r}: {_text(rng, 8)[:-1]}}},\n"
            f"  journal = {{Journal of Synthetic Examples}},\n"
            f"  year    = {{{2000 + r % 25}}},\n  volume  = {{{r % 40 + 1}}},\n"
            f"  number  = {{{r % 12 + 1}}},\n  pages   = {{{r % 900 + 1}--{r % 900 + 9}}},\n"
            f"  doi     = {{10.5555/synthetic.{r}}},\n"
            f"  url     = {{https://example.org/synthetic/study-{r}}}\n}}\n")
    (content / "references.bib").write_text("\n".join(bib), encoding="utf-8")
    for i in range(n):
        (content / "cards" / f"synthetic-claim-{i}.yaml").write_text(_card(rng, i, n_forms,
                                                                          n_sources, n_refs),
                                                                    encoding="utf-8")


def _card(rng: random.Random, i: int, n_forms: int, n_sources: int, n_refs: int) -> str:
    out = [f"id: synthetic-claim-{i}", f"form: synthetic-form-{i % n_forms}",
           f"claim: {_folded(_text(rng, 18, f'Synthetic claim {i}:'), 2)}", "appearances:"]
    for s in rng.sample(range(n_sources), k=min(n_sources, rng.choice((1, 1, 2)))):
        check = rng.choice(CHECKS)
        out += [f"  - source: synthetic-article-{s}",
                f"    quote: {_folded(_text(rng, 30), 6)}"]
        if check == "none":
            out += ["    cited_as: null", "    citation_check: none"]
        else:
            out += [f'    cited_as: "Synthetic citation {i}-{s}"', f"    citation_check: {check}",
                    f"    citation_note: {_folded(_text(rng, 35), 6)}"]
    # Card i cites entry i // 2, so that every entry is cited; every tenth card cites nothing.
    keys = [] if i % 10 == 9 else [i // 2 % n_refs] + rng.sample(range(n_refs),
                                                                 k=min(n_refs, rng.randint(0, 2)))
    out.append("studies:" if keys else "studies: []")
    for k in dict.fromkeys(keys):
        design = rng.choice(DESIGNS)
        out += [f"  - key: synthetic{k}", f"    design: {design}"]
        if design == "systematic-review":
            out.append(f"    pooled_design: {rng.choice(POOLED)}")
        out += [f"    population: {_folded(_text(rng, 10)[:-1], 6)}",  # the page adds "."
                f"    finding: {_folded(_text(rng, 45), 6)}", "    directness:"]
        out += [f"      {d}: {rng.choice(('direct', 'indirect'))}"
                for d in ("population", "compound", "outcome")]
        out.append(f"      why: {_folded(_text(rng, 15), 8)}")
    if not keys:
        out.append(f"no_study_note: {_folded(_text(rng, 25), 2)}")
    downgrades = rng.sample(REASONS, k=rng.randint(0, 2))
    out += [f"verdict: {rng.choice(VERDICTS)}",
            f"verdict_summary: {_folded(_text(rng, 35), 2)}",
            "downgrades:" if downgrades else "downgrades: []"]
    for reason in downgrades:
        out += [f"  - reason: {reason}", f"    why: {_folded(_text(rng, 15), 6)}"]
    out += [f"question: {rng.choice(QUESTIONS)}", "reviewed: 2026-01-01",
            "searched_to: 2026-01-01", "reviewer: Synthetic reviewer"]
    return "\n".join(out) + "\n"


PLUGIN_LINE = "  - evidence:\n"  # then its options, indented
PLUGIN_ENTRY = re.compile(r"^  - evidence:\n(?:      .*\n|\s*#.*\n)*", re.MULTILINE)


def make_project(root: Path, n: int) -> Path:
    """A project like this repository's (mkdocs.yml, docs/, overrides) with synthetic content.

    Handouts are left out of the site build here: they are measured on their own (pdf_s).
    """
    root.mkdir(parents=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if PLUGIN_LINE not in config:
        raise SystemExit("bench: mkdocs.yml no longer lists the evidence plugin as expected")
    (root / "mkdocs.yml").write_text(
        config.replace(PLUGIN_LINE, "  - evidence:\n      handouts: false\n"), encoding="utf-8")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "site_overrides", root / "site_overrides")
    make_content(root / "content", n)
    return root


def make_plain(project: Path, plain: Path, pages: Path) -> Path:
    """The same pages as plain Markdown files, built by MkDocs without the generator."""
    shutil.copytree(project / "docs", plain / "docs")
    shutil.copytree(pages, plain / "docs", dirs_exist_ok=True)
    shutil.copytree(project / "site_overrides", plain / "site_overrides")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (plain / "mkdocs.yml").write_text(PLUGIN_ENTRY.sub("", config), encoding="utf-8")
    return plain


def edit_card(project: Path) -> Path:
    """Change one card's text the way a contributor would (new size and mtime; every call
    adds a word)."""
    card = project / "content/cards/synthetic-claim-0.yaml"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("verdict_summary: >-\n", "verdict_summary: >-\n  Edited.\n"),
                    encoding="utf-8")
    return card


# ---------------------------------------------------------------------------- measuring

@dataclass
class Run:
    seconds: float  # wall clock
    cpu_s: float  # user + system time of the child
    peak_mb: float  # its peak RSS
    stdout: str


def run_child(argv: list[str], cwd: Path) -> Run:
    """Run a command; return its wall and CPU seconds, peak RSS and standard output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout)


def worker(argv: list[str], cwd: Path) -> tuple[dict[str, Any], float]:
    """Run one of this script's --worker tasks; return its JSON line and peak RSS."""
    run = run_child([sys.executable, __file__, "--worker", *argv], cwd)
    return json.loads(run.stdout.strip().splitlines()[-1]), run.peak_mb


def _timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def task_core(project: Path, pages_out: Path) -> dict[str, Any]:
    """What the plugin does in a build (load, then every page and file of the site): cold
    (no caches), then in one `mkdocs serve` session (its load cache and page templates):
    filling them, warm, and after editing one card."""
    start = time.perf_counter()
    from generator.core import load
    from generator.core.problems import errors_only
    from generator.outputs import site_files
    from generator.outputs.pages import Templates
    from generator.project import Project
    from generator.refcache import DiskStore
    imports = time.perf_counter() - start
    settings = Project.read(project).settings

    def core(templates: Any, **kw: Any) -> dict[str, str | bytes]:
        evidence, problems = load.load_evidence(project, settings.content_dir, **kw)
        if errors_only(problems):
            raise SystemExit("\n".join(map(str, errors_only(problems[:20]))))
        return dict(site_files(evidence, settings, project, templates).files)

    cold, pages = _timed(lambda: core(Templates()))
    for src, text in pages.items():
        (pages_out / src).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            (pages_out / src).write_bytes(text)
        else:
            (pages_out / src).write_text(text, encoding="utf-8")
    result: dict[str, Any] = {"core_import_s": imports, "core_cold_s": cold,
                              "pages": len(pages)}
    session = Templates()
    cache = load.LoadCache(DiskStore(project / ".cache/evidence"))
    result["core_fill_s"], _ = _timed(lambda: core(session, cache=cache))
    result["core_warm_s"], _ = _timed(lambda: core(session, cache=cache))
    edit_card(project)
    result["core_edit_s"], _ = _timed(lambda: core(session, cache=cache))
    result["edit_parsed_files"] = cache.parsed
    return result


def timed_plugin() -> dict[str, list[float]]:
    """Time every event of the evidence plugin in this process: event name → the seconds of
    each call, filled in as MkDocs calls them (the import of the generator under "import")."""
    start = time.perf_counter()
    from generator.engines.mkdocs_plugin import EvidencePlugin

    spent: dict[str, list[float]] = {"import": [time.perf_counter() - start]}

    def timed(name: str, event: Any) -> Any:
        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return event(self, *args, **kwargs)
            finally:
                spent.setdefault(name, []).append(time.perf_counter() - start)
        return run

    for name, event in list(vars(EvidencePlugin).items()):
        if name.startswith("on_") and callable(event):
            setattr(EvidencePlugin, name, timed(name, event))
    return spent


def task_warm(project: Path, site: Path) -> dict[str, Any]:
    """A warm `mkdocs build` in this process, with the generator's part timed inside it (its
    import and every event of its plugin). The machine's speed of the moment is the same for
    both, so their ratio holds where separate builds vary by a fifth (bench/RESULTS.md). Not
    in it: the collector's extra passes over the generator's objects (about 0.2 s at 1,000
    cards)."""
    import logging

    start = time.perf_counter()
    spent = timed_plugin()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
    build(config)
    total = time.perf_counter() - start
    generator = sum(map(sum, spent.values()))
    return {"build_warm_inprocess_s": total, "build_warm_generator_s": generator,
            "build_warm_generator_share": generator / total}


def task_serve(project: Path) -> dict[str, Any]:
    """What `mkdocs serve` does: a first build, then a rebuild after one card is edited."""
    import logging

    spent = timed_plugin()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    site = Path(tempfile.mkdtemp(prefix="bench-serve-"))

    def get_config(**options: Any) -> Any:  # as mkdocs.commands.serve does, every rebuild
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), **options)
        config.site_url = "http://127.0.0.1:8000/"
        return config

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    first, _ = _timed(lambda: build(config, serve_url="http://127.0.0.1:8000/"))
    edit_card(project)
    config = get_config()
    plugin = config.plugins["evidence"]
    rebuild, _ = _timed(lambda: build(config, serve_url="http://127.0.0.1:8000/"))
    cache = getattr(plugin, "cache", None)
    result = {"serve_first_s": first, "serve_rebuild_s": rebuild,
              "serve_rebuild_core_s": spent["on_files"][-1],
              "serve_rebuild_parsed_files": getattr(cache, "parsed", None)}
    # `mkdocs serve --dirty --no-strict` (MkDocs warns that a dirty build is dirty): only
    # the pages reported as modified are built again.
    config = get_config(strict=False)
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
    dirty = []  # under a second, like `evidence check`: the fastest of three edits
    for _ in range(3):
        edit_card(project)
        config = get_config(strict=False)
        seconds, _ = _timed(lambda c=config: build(c, serve_url="http://127.0.0.1:8000/",
                                                   dirty=True))
        dirty.append(seconds)
    result["serve_dirty_rebuild_s"] = min(dirty)
    result["serve_dirty_rebuild_runs_s"] = dirty
    shutil.rmtree(site, ignore_errors=True)
    return result


def task_pdf(project: Path, out: Path) -> dict[str, Any]:
    """All A4 handouts: first of the repository's own content, then of the synthetic one.

    References are formatted before the clock starts (the site keeps them in .cache/), so
    that pdf_s is the handouts' own time: building their data and typesetting.
    """
    from generator.core.load import load_evidence
    try:
        from generator.cli.pdf import write_handouts
    except ImportError as exc:
        return {"pdf_s": None, "pdf_note": f"write_handouts missing: {exc}"}
    result: dict[str, Any] = {}
    for prefix, root in (("seed_", REPO), ("", project)):
        evidence, _ = load_evidence(root)
        result[f"{prefix}pdf_refs_s"], _ = _timed(
            lambda ev=evidence: [ev.citations_text[k] for k in list(ev.citations_text)[:1]])
        try:
            seconds, paths = _timed(lambda ev=evidence, r=root: write_handouts(
                ev, out / r.name, "https://example.org/"))
        except Exception as exc:  # report, do not stop the other figures
            return {"pdf_s": None, "pdf_note": f"write_handouts failed: {exc!r}"[:300]}
        result.update({f"{prefix}pdf_s": seconds, f"{prefix}pdf_handouts": len(paths),
                       f"{prefix}pdf_per_handout_s": seconds / max(1, len(paths)),
                       f"{prefix}pdf_mb": sum(p.stat().st_size for p in paths) / 1e6})
    return result


def run_worker(args: list[str]) -> None:
    task, *rest = args
    paths = [Path(a) for a in rest]
    sys.path.insert(0, str(REPO))
    result = {"core": task_core, "warm": task_warm, "serve": task_serve,
              "pdf": task_pdf}[task](*paths)
    print(json.dumps(result))


def measure(n: int, base: Path, with_pdf: bool = True) -> dict[str, Any]:
    """Every figure for n cards, in a project under base."""
    project = make_project(base / "project", n)
    forms, sources, refs = counts(n)
    fig: dict[str, Any] = {"cards": n, "forms": forms, "articles": sources, "references": refs}
    pages = base / "pages"
    pages.mkdir()
    cores = [worker(["core", str(project), str(pages)], project) for _ in range(ROUNDS)]
    fig.update({key: min(core[key] for core, _ in cores) if isinstance(value, float) else value
                for key, value in cores[0][0].items()})
    fig["core_cold_runs_s"] = [core["core_cold_s"] for core, _ in cores]
    fig["core_peak_mb"] = max(peak for _, peak in cores)
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-d"]
    plain = make_plain(project, base / "plain", pages)
    check = [sys.executable, "-m", "generator", "--root", str(project), "check"]
    cold, warm, bare, checks = [], [], [], []
    for _ in range(ROUNDS):  # a slow spell of the machine then slows one try of each, not all
        shutil.rmtree(project / ".cache", ignore_errors=True)
        cold.append(run_child([*mkdocs, str(base / "site")], project))
        warm.append(run_child([*mkdocs, str(base / "site")], project))  # .cache/ of the cold
        bare.append(run_child([*mkdocs, str(base / "site2")], plain))
        checks.append(run_child(check, REPO))
    for name, runs in (("build", cold), ("build_warm", warm), ("plain_build", bare),
                       ("check", checks)):
        fig[f"{name}_s"] = min(r.seconds for r in runs)
        fig[f"{name}_cpu_s"] = min(r.cpu_s for r in runs)
        fig[f"{name}_runs_s"] = [r.seconds for r in runs]
    fig["peak_mb"], fig["plain_peak_mb"] = cold[0].peak_mb, bare[0].peak_mb
    fig["check_peak_mb"] = checks[0].peak_mb
    warm_inside, _ = worker(["warm", str(project), str(base / "site")], project)
    fig.update(warm_inside)
    # The README's build command, cold.
    shutil.rmtree(project / ".cache", ignore_errors=True)
    run = run_child([sys.executable, "-m", "generator", "--root", str(project), "build",
                     "--no-pdf", "--out", str(base / "site3")], REPO)
    fig["evidence_build_s"], fig["evidence_build_peak_mb"] = run.seconds, run.peak_mb
    serve, _ = worker(["serve", str(project)], project)
    fig.update(serve)
    if with_pdf:
        pdf, _ = worker(["pdf", str(project), str(base / "handouts")], project)
        fig.update(pdf)
    else:
        fig.update(pdf_s=None, pdf_note="skipped (--no-pdf)")
    for key in KEYS:  # the figures every consumer of --json may rely on
        fig.setdefault(key, None)
    fig["build_over_plain"] = fig["build_s"] / fig["plain_build_s"]
    fig["build_warm_over_plain"] = fig["build_warm_s"] / fig["plain_build_s"]
    fig["build_over_plain_cpu"] = fig["build_cpu_s"] / fig["plain_build_cpu_s"]
    fig["build_warm_over_plain_cpu"] = fig["build_warm_cpu_s"] / fig["plain_build_cpu_s"]
    fig["core_cold_share"] = fig["core_cold_s"] / fig["build_s"]
    fig["core_warm_share"] = fig["core_warm_s"] / fig["build_s"]
    return fig


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, float):
            out[key] = statistics.median(r[key] for r in runs)
    return out


def table(rows: list[dict[str, Any]]) -> str:
    def cell(value: Any) -> str:
        if value is None:
            return "–"
        return f"{value:.3g}" if isinstance(value, float) else str(value)

    keys = [k for k in rows[0] if k not in ("pdf_note",)]
    width = max(map(len, keys))
    lines = [f"{'cards':<{width}}" + "".join(f"{r['cards']:>12,}" for r in rows)]
    lines += [f"{k:<{width}}" + "".join(f"{cell(r.get(k)):>12}" for r in rows)
              for k in keys if k != "cards"]
    notes = [f"N={r['cards']}: {r['pdf_note']}" for r in rows if r.get("pdf_note")]
    return "\n".join(lines + notes)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        run_worker(argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, nargs="+", default=list(SIZES),
                        help="numbers of cards to measure (default: 100 1000 10000)")
    parser.add_argument("--json", action="store_true", help="one JSON line per size")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; medians")
    parser.add_argument("--no-pdf", action="store_true", help="skip the handouts")
    parser.add_argument("--keep", type=Path, help="keep the generated projects here")
    args = parser.parse_args(argv)
    rows = []
    for n in args.cards:
        runs = []
        for i in range(args.repeat):
            base = (args.keep / f"n{n}-{i}") if args.keep else Path(
                tempfile.mkdtemp(prefix=f"evidence-bench-{n}-"))
            try:
                runs.append(measure(n, base, with_pdf=not args.no_pdf))
            finally:
                if not args.keep:
                    shutil.rmtree(base, ignore_errors=True)
        row = median_of(runs)
        rows.append(row)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print(f"measured {n} cards", file=sys.stderr, flush=True)
    if not args.json:
        print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
