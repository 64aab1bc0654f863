"""Pages kept across renders (`mkdocs serve`, `evidence build` after a load): a page is
rendered again exactly when what it is made from (its slice of the evidence, the templates)
changed, and never served stale."""

from __future__ import annotations

import weakref
from pathlib import Path

import pytest

from generator import render
from generator.load import LoadCache, load_evidence
from generator.render import make_env, render_site
from tests.conftest import ROOT

MD_PAGES = {"index.md", "forms/index.md", "articles/index.md", "claims/index.md", "references.md",
            "methodology.md"}
DKK1, FPHL = "claims/mgt-dkk1-dermal-papilla.md", "claims/mgt-fphl-trial.md"
FORM, ARTICLE = "forms/magnesium-l-threonate.md", "articles/mgt-effective-treatment.md"


class Site:
    """Loads through one cache and renders with one environment, as `mkdocs serve` does;
    records which pages were rendered by the last render."""

    def __init__(self, project: Path, monkeypatch: pytest.MonkeyPatch):
        self.project, self.cache, self.rendered = project, LoadCache(), set()
        monkeypatch.setattr(render, "_RENDERED", weakref.WeakKeyDictionary())  # a new process
        real = render._render

        def counted(ev, env, src, kind):  # noqa: ANN001, ANN202
            self.rendered.add(src)
            return real(ev, env, src, kind)

        monkeypatch.setattr(render, "_render", counted)

    def render(self, jobs: int = 1) -> dict[str, str]:
        evidence, problems = load_evidence(self.project, cache=self.cache)
        assert problems == []
        self.rendered = set()
        return render_site(evidence, make_env([self.project / "site_overrides/templates"]),
                           jobs=jobs)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.project / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def site(project: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    return Site(project, monkeypatch)


def test_an_unchanged_site_is_not_rendered_again(site: Site) -> None:
    first = site.render()
    assert site.rendered == set(first) == MD_PAGES | {DKK1, FPHL, FORM, ARTICLE}
    again = site.render()
    assert site.rendered == set() and again == first


def test_pages_rendered_by_other_processes_are_kept_too(site: Site) -> None:
    first = site.render(jobs=2)
    assert site.render() == first and site.rendered == set()


def test_an_edited_card_renders_its_own_pages_again(site: Site) -> None:
    site.render()
    site.edit("content/cards/mgt-fphl-trial.yaml", "found that magnesium L-threonate",
              "reported that magnesium L-threonate")
    pages = site.render()
    assert site.rendered == MD_PAGES | {FPHL, FORM, ARTICLE}  # not the other claim page
    assert "reported that magnesium L-threonate" in pages[FPHL]
    assert "reported that magnesium L-threonate" in pages[FORM]


def test_a_renamed_form_shows_on_its_claim_pages(site: Site) -> None:
    site.render()
    site.edit("content/forms/magnesium-l-threonate.yaml", "name: Magnesium L-threonate",
              "name: Magnesium L-threonate (Magtein)")
    pages = site.render()
    assert {DKK1, FPHL, FORM, ARTICLE} <= site.rendered
    assert "Magnesium L-threonate (Magtein)</a>" in pages[DKK1]


def test_an_edited_reference_renders_the_pages_citing_it_again(site: Site) -> None:
    site.render()
    site.edit("content/references.bib", "Preventable effect", "Preventive effect")
    pages = site.render()
    assert site.rendered == MD_PAGES | {DKK1}  # the only card citing it
    assert "Preventive effect of L-threonate" in pages[DKK1]


def test_an_edited_template_renders_every_page_again(site: Site) -> None:
    site.render()
    templates = site.project / "site_overrides/templates"
    templates.mkdir(parents=True)
    claim = (ROOT / "generator/templates/claim.html.j2").read_text(encoding="utf-8")
    (templates / "claim.html.j2").write_text(claim + "<p>Overridden.</p>", encoding="utf-8")
    pages = site.render()
    assert site.rendered == set(pages)
    assert pages[DKK1].endswith("<p>Overridden.</p>")
    (templates / "_macros.j2").write_text(
        (ROOT / "generator/templates/_macros.j2").read_text(encoding="utf-8")
        .replace("<th>Claim</th>", "<th>The claim</th>"), encoding="utf-8")
    pages = site.render()  # an imported template counts too
    assert site.rendered == set(pages) and "<th>The claim</th>" in pages[FORM]


def test_a_claim_page_sees_only_its_slice_of_the_evidence(site: Site) -> None:
    """What a claim page may read is what decides whether it is rendered again."""
    templates = site.project / "site_overrides/templates"
    templates.mkdir(parents=True)
    claim = (ROOT / "generator/templates/claim.html.j2").read_text(encoding="utf-8")
    (templates / "claim.html.j2").write_text(
        claim + "<p>{{ ev.cards | length }} card, {{ ev.forms | length }} form, "
                "{{ ev.citations | length }} references</p>", encoding="utf-8")
    pages = site.render()
    assert pages[DKK1].endswith("<p>1 card, 1 form, 2 references</p>")
    assert pages[FPHL].endswith("<p>1 card, 1 form, 0 references</p>")
