"""`evidence build --no-pdf --engine E` on one synthetic project of N cards, per engine.

    python bench/engines.py                 # N = 1,000; mkdocs, properdocs, zensical
    python bench/engines.py --cards 100 --json

The project comes from bench/run.py (make_project). Each engine builds twice: cold (no
.cache/) and warm (its second build). Wall-clock seconds of the whole command (loading the
cards, the pages, the engine; for Zensical also writing the docs folder and copying the site).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINES = ("mkdocs", "properdocs", "zensical")


def _make_project(root: Path, n: int) -> Path:
    spec = importlib.util.spec_from_file_location("bench_run", HERE / "run.py")
    assert spec and spec.loader
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    return run.make_project(root, n)


def _build(project: Path, engine: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "--no-pdf", "--engine", engine,
                    "--out", str(project.parent / f"site-{engine}")], cwd=project, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(n: int, base: Path) -> dict[str, float]:
    project = _make_project(base / "project", n)
    fig: dict[str, float] = {"cards": n}
    for engine in ENGINES:
        shutil.rmtree(project / ".cache", ignore_errors=True)
        fig[f"{engine}_cold_s"] = round(_build(project, engine), 2)
        fig[f"{engine}_warm_s"] = round(_build(project, engine), 2)
    for kind in ("cold", "warm"):
        fig[f"zensical_over_mkdocs_{kind}"] = round(
            fig[f"zensical_{kind}_s"] / fig[f"mkdocs_{kind}_s"], 2)
        fig[f"properdocs_over_mkdocs_{kind}"] = round(
            fig[f"properdocs_{kind}_s"] / fig[f"mkdocs_{kind}_s"], 2)
    return fig


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, nargs="+", default=[1000])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for n in args.cards:
        with tempfile.TemporaryDirectory(prefix="bench-engines-") as tmp:
            fig = measure(n, Path(tmp))
        print(json.dumps(fig) if args.json else
              "\n".join(f"{k:32} {v}" for k, v in fig.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
