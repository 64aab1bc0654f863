"""A second site, plainly synthetic, made by `evidence init` on another topic: it checks,
exports, builds (pages and handouts) and prints its handouts with none of this repository's
topic words; it needs no main.html (JSON-LD, escaped titles) and overrides handout.typ from its
templates folder."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import evidence_cli
from tests.test_topic import TOPIC_WORDS

# The plugin's neutral defaults, which `evidence init` replaces with what it asked for.
GENERIC = re.compile(r"the\s+main\s+outcome|the\s+claims\s+checked\s+here", re.I)
FORM = """\
id: synthetic-vitamin
name: Synthetic vitamin D form
description: A made-up supplement form for a test of the generator.
links:
  - title: Synthetic fact sheet
    url: https://example.org/synthetic/fact-sheet
question: Does the synthetic vitamin D form help with fatigue?
"""
ARTICLE = """\
id: synthetic-article-1
title: "Synthetic article 1"
site: example.org
url: https://example.org/synthetic/article-1
date_stated: null
accessed: 2026-01-01
"""
CARD = """\
id: synthetic-claim-1
plain_title: "Synthetic claim 1 <> & less fatigue"
group: outcome
form: synthetic-vitamin
claim: "Synthetic claim 1 <> & the form lowers fatigue in adults."
appearances:
  - source: synthetic-article-1
    quote: Synthetic quote one about fatigue.
    cited_as: "Synthetic study 1"
    citation_check: verified
    citation_note: The article cites Synthetic study 1, which is the study below.
studies:
  - key: synthetic1
    design: human-rct
    population: 40 synthetic adults with fatigue
    finding: In the synthetic trial, fatigue scores fell by 1 point more than with placebo.
    directness:
      population: direct
      compound: direct
      outcome: direct
      why: Synthetic adults, the form and the outcome the claim names.
verdict: supported
verdict_summary: Synthetic study 1 found what the claim says.
downgrades:
  - reason: imprecision
    why: One small synthetic trial.
question: effect
reviewed: 2026-01-01
searched_to: 2026-01-01
reviewer: Evidence team
"""
BIB = """\
@article{synthetic1,
  author  = {Synthetic, Author and Example, Bea},
  title   = {Synthetic study 1: a made-up trial of a vitamin D form for fatigue},
  journal = {Journal of Synthetic Examples},
  year    = {2020},
  volume  = {1},
  pages   = {1--9},
  doi     = {10.5555/synthetic.1},
  url     = {https://example.org/synthetic/study-1}
}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synthetic") / "vitamin-d-site"
    made = evidence_cli("init", str(root), "--title", "Synthetic site: vitamin D and fatigue",
                        "--topic", "vitamin D and fatigue", "--outcome", "fatigue",
                        cwd=root.parent)
    assert made.returncode == 0, made.stderr
    (root / "content/forms/synthetic-vitamin.yaml").write_text(FORM)
    (root / "content/sources/synthetic-article-1.yaml").write_text(ARTICLE)
    (root / "content/cards/synthetic-claim-1.yaml").write_text(CARD)
    (root / "content/references.bib").write_text(BIB)
    config = (root / "mkdocs.yml").read_text()
    config = config.replace("site_description:",
                            "site_url: https://example.org/synthetic/\nsite_description:")
    (root / "mkdocs.yml").write_text(config)
    templates = root / "site_overrides/templates"  # the documented templates folder
    templates.mkdir(parents=True)
    from generator.outputs.handouts import TEMPLATE

    (templates / "handout.typ").write_text(TEMPLATE.read_text().replace(
        "What web articles claim about", "Synthetic override: what web articles claim about"))
    return root


def test_it_checks_and_exports(site: Path) -> None:
    check = evidence_cli("check", cwd=site)
    assert check.returncode == 0, check.stdout + check.stderr
    export = evidence_cli("export", cwd=site)
    assert export.returncode == 0, export.stderr
    data = json.loads(export.stdout)
    assert [c["id"] for c in data["cards"]] == ["synthetic-claim-1"]
    assert data["cards"][0]["studies"][0]["doi"] == "10.5555/synthetic.1"


def test_it_builds_pages_and_handouts_without_topic_words(site: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    out = site / "site"
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 8
    for page in [*pages, out / "search/search_index.json", out / "data/evidence.json"]:
        found = TOPIC_WORDS.findall(page.read_text(encoding="utf-8"))
        assert not found, f"{page.relative_to(out)}: {found}"
        assert not GENERIC.findall(page.read_text(encoding="utf-8")), page  # init asked
    claim = (out / "claims/synthetic-claim-1/index.html").read_text()
    assert "Synthetic study 1" in claim
    # no main.html: the plugin escapes the title and adds the JSON-LD
    assert ("<title>Supported: Synthetic claim 1 &lt;&gt; &amp; less fatigue"
            " - Synthetic site: vitamin D and fatigue</title>" in claim)
    assert claim.count('<script type="application/ld+json">') == 1
    assert "Claims about its effect on fatigue" in (out / "forms/synthetic-vitamin/index.html"
                                                     ).read_text()
    assert (out / "assets/evidence.css").is_file()
    assert claim.count('class="ev-disclaimer') == 1  # from the plugin: there is no main.html
    assert 'It is not medical advice' in claim and 'href="../../about/"' in claim
    for pdf in sorted(out.rglob("*.pdf")):
        _no_topic_words_in(pdf)
    handout = _text(out / "handouts/synthetic-vitamin.pdf")
    assert "Synthetic override: what web articles claim about fatigue" in handout
    assert "EVIDENCE HANDOUT · VITAMIN D AND FATIGUE" in handout


def test_evidence_pdf_makes_the_handouts(site: Path, tmp_path: Path) -> None:
    made = evidence_cli("pdf", "--out", str(tmp_path / "pdf"), cwd=site)
    assert made.returncode == 0, made.stderr
    names = sorted(p.name for p in (tmp_path / "pdf").glob("*.pdf"))
    assert names == ["all-forms.pdf", "synthetic-vitamin.pdf"]
    for pdf in (tmp_path / "pdf").glob("*.pdf"):
        _no_topic_words_in(pdf)
    assert "Synthetic override" in _text(tmp_path / "pdf/synthetic-vitamin.pdf")


def _text(pdf: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(pdf).pages)


def _no_topic_words_in(pdf: Path) -> None:
    found = TOPIC_WORDS.findall(_text(pdf)) + GENERIC.findall(_text(pdf))
    assert not found, f"{pdf.name}: {found}"
