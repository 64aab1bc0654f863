"""A real site, built with `mkdocs build` in a temp folder, read as HTML."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, evidence_cli, make_project


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("build") / "project")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"],
                            cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return project / "site"


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_claim_page_shows_claim_verdict_certainty_and_references(site: Path) -> None:
    html = (site / "claims/mgt-dkk1-dermal-papilla/index.html").read_text()
    text = text_of(html)
    assert "Magnesium L-threonate inhibits DHT-induced DKK-1 expression" in text
    assert "Verdict: Partly supported" in text
    assert "Certainty: Low" in text
    assert "Down one level — Indirectness" in text  # the label, not the slug
    assert "(other-compound)" not in text
    assert "Answers the claim only indirectly (another compound)" in text
    assert "These sources inform the verdict but do not measure" in text
    assert 'href="https://doi.org/10.5483/BMBRep.2010.43.10.688"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/21034532/"' in html
    assert "Kwack MH, Ahn JS, Kim MK, Kim JC, Sung YK. Preventable effect of L-threonate" in text
    # The edit button opens the card file, not a generated page.
    assert "edit/main/content/cards/mgt-dkk1-dermal-papilla.yaml" in html
    assert "not medical advice" in text


def test_claim_page_has_its_title_linked_headings_and_table_of_contents(site: Path) -> None:
    """Claim pages are Markdown with HTML blocks: the engine gives the headings their ids,
    permalinks and the table of contents, and resolves the links to .md paths."""
    html = (site / "claims/mgt-fphl-trial/index.html").read_text()
    assert "<title>Not supported: A study in the Journal of Cosmetic Dermatology found" in html
    assert ('<h2 id="studies">Studies<a class="headerlink" '
            'href="#studies" title="Permanent link">&para;</a></h2>') in html
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', html, re.S)
    assert toc and re.findall(r'href="#([^"]+)"', toc.group(0)) == [
        "where-the-claim-appeared", "studies", "verdict-and-certainty"]
    # No study: no sentence about what studies found, as in Cochrane's "No studies".
    assert "what the studies found" not in text_of(html).lower()
    assert "Certainty: No studies" in text_of(html)
    assert 'href="../../forms/magnesium-l-threonate/"' in html
    assert 'href="../../articles/mgt-effective-treatment/"' in html
    assert 'href="../../methodology/#grading-rule"' in html


def test_html_pages_follow_the_toc_settings_of_markdown_pages(project: Path) -> None:
    """A claim page's headings get the permalinks that mkdocs.yml gives Markdown headings."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      permalink: true\n" in text
    config.write_text(text.replace("      permalink: true\n", "      permalink: \"<§>\"\n"
                                   "      permalink_title: Link here\n"), encoding="utf-8")
    result = evidence_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 0, result.stderr
    link = '<a class="headerlink" href="#{}" title="Link here">&lt;§&gt;</a></h2>'
    method = (project / "site/methodology/index.html").read_text(encoding="utf-8")
    assert link.format("grading-rule") in method  # Markdown, for comparison
    claim = (project / "site/claims/mgt-fphl-trial/index.html").read_text(encoding="utf-8")
    assert link.format("verdict-and-certainty") in claim


def test_form_page_lists_its_claims_with_links(site: Path) -> None:
    html = (site / "forms/magnesium-l-threonate/index.html").read_text()
    assert 'href="../../claims/mgt-fphl-trial/"' in html
    assert "No study has looked at this." in text_of(html)
    assert "ods.od.nih.gov/factsheets/Magnesium-HealthProfessional" in html


def test_nav_is_small_and_fixed(site: Path) -> None:
    html = (site / "index.html").read_text()
    nav = re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"]+)"', html)
    assert not [href for href in nav if "claims/" in href]


def test_every_exported_card_and_form_has_its_page(site: Path) -> None:
    data = json.loads((site / "data/evidence.json").read_text())
    assert {c["id"] for c in data["cards"]} == {"mgt-dkk1-dermal-papilla", "mgt-fphl-trial"}
    for item in data["cards"] + data["forms"]:
        page = site / item["url"] / "index.html"
        assert page.is_file(), item["url"]
    for card in data["cards"]:
        text = text_of((site / card["url"] / "index.html").read_text())
        assert "Verdict:" in text and "Certainty:" in text


def test_real_content_builds_strictly(tmp_path: Path) -> None:
    """The project's own content, the way `mkdocs build --strict` sees it."""
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                             str(tmp_path / "site")], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "site/data/evidence.json").read_text())
    assert len(data["cards"]) >= 40
    for card in data["cards"]:
        assert (tmp_path / "site" / card["url"] / "index.html").is_file()


def test_bad_card_fails_the_build_naming_file_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    card = project / "content/cards/mgt-fphl-trial.yaml"
    card.write_text(card.read_text().replace("verdict: not-supported", "verdict: nope"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "content/cards/mgt-fphl-trial.yaml:35:10: verdict: 'nope' is not one of" in (
        result.stderr + result.stdout)


@pytest.mark.parametrize(("template", "broken", "message"), [
    ("methodology.md.j2", "{% if %}", "Expected an expression"),  # syntax
    ("claim.md.j2", "{{ card.no_such_field }}", "has no attribute 'no_such_field'"),
])
def test_a_broken_template_fails_the_build_naming_page_template_and_line(
        project: Path, template: str, broken: str, message: str) -> None:
    overrides = project / "site_overrides/templates"
    overrides.mkdir(parents=True)
    text = (ROOT / "generator/templates" / template).read_text(encoding="utf-8")
    lines = text.splitlines()
    lines.insert(5, broken)  # line 6
    (overrides / template).write_text("\n".join(lines), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert f"site_overrides/templates/{template}, line 6: " in output, output[-2000:]
    assert message in output and "page " in output
    assert "Traceback" not in output


def test_an_edited_template_is_used_by_the_next_render(project: Path, tmp_path: Path) -> None:
    """Compiled templates are kept across `mkdocs serve` rebuilds; an edit must still show."""
    import os

    from generator.core.load import load_evidence
    from generator.outputs.pages import make_env, render_site

    templates = tmp_path / "templates"
    templates.mkdir()
    page = templates / "methodology.md.j2"
    page.write_text("# Method one\n", encoding="utf-8")
    evidence, _ = load_evidence(project)
    first = render_site(evidence, make_env([templates]), only={"methodology.md"})
    page.write_text("# Method two\n", encoding="utf-8")
    stat = page.stat()
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    second = render_site(evidence, make_env([templates]), only={"methodology.md"})
    bodies = [page["methodology.md"].split("\n---\n", 1)[-1] for page in (first, second)]
    assert bodies == ["# Method one\n", "# Method two\n"]


def test_serve_dirty_rebuilds_only_pages_whose_markdown_changed(project: Path,
                                                                 tmp_path: Path) -> None:
    """`mkdocs serve --dirty --no-strict` after editing one card: its pages are built again, not the
    others (as MkDocs does for hand-written pages)."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from tests.test_pdf import set_field

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    site = tmp_path / "served"

    def config():  # as `mkdocs serve` does for every rebuild
        cfg = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=False)
        cfg.plugins["evidence"].config["handouts"] = False
        return cfg

    first = config()
    first.plugins.on_startup(command="serve", dirty=True)
    build(first, dirty=True)
    edited = site / "claims/mgt-fphl-trial/index.html"
    other = site / "claims/mgt-dkk1-dermal-papilla/index.html"
    before = {p: p.stat().st_mtime_ns for p in (edited, other)}
    set_field(project / "content" / "cards" / "mgt-fphl-trial.yaml", "claim",
              "An edited claim about threonate.")
    second = config()
    assert second.plugins["evidence"] is first.plugins["evidence"]  # kept across rebuilds
    build(second, dirty=True)
    assert "An edited claim about threonate." in edited.read_text(encoding="utf-8")
    assert edited.stat().st_mtime_ns != before[edited]
    assert other.stat().st_mtime_ns == before[other]
    assert "An edited claim about threonate." in (
        site / "forms/magnesium-l-threonate/index.html").read_text(encoding="utf-8")


def test_serve_watches_the_templates_folder_or_where_it_would_be_created(project: Path,
                                                                          ) -> None:
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["evidence"]
    plugin.on_config(config)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    def watched() -> list[str]:
        server = Server()
        plugin.on_serve(server, config=config, builder=None)
        return [Path(p).relative_to(project).as_posix() for p in server.watched]

    assert (project / "site_overrides").is_dir()
    assert not (project / "site_overrides/templates").exists()
    assert watched() == ["content", "site_overrides"]
    (project / "site_overrides/templates").mkdir()
    assert watched() == ["content", "site_overrides/templates"]


def test_the_archived_file_name_of_an_article_is_never_published(site: Path) -> None:
    """An article's `seed` names the archived copy it was read from: internal, never shown."""
    leaks = [p for p in site.rglob("*") if p.is_file() and p.suffix in {".html", ".json", ".csv",
                                                                         ".bib", ".xml", ".txt"}
             and "001_e4ff7144c78adac0" in p.read_text(errors="replace")]
    assert leaks == []


def test_build_flags_reach_the_engine_as_settings_not_environment(project: Path) -> None:
    """--no-pdf and --offline are the build's own settings (issue 26): --offline turns on the
    offline plugin whatever mkdocs.yml's `enabled` says, and a variable in the environment
    does not turn the handouts off."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "enabled: !ENV [EVIDENCE_OFFLINE, false]" in text
    config.write_text(text.replace("enabled: !ENV [EVIDENCE_OFFLINE, false]", "enabled: false"),
                      encoding="utf-8")
    result = evidence_cli("build", "--no-pdf", "--offline", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "site/claims/mgt-fphl-trial.html").is_file()  # pages as .html files
    assert not (project / "site/handouts").exists()
    result = evidence_cli("build", cwd=project, env={"EVIDENCE_HANDOUTS": "false"})
    assert result.returncode == 0, result.stderr
    assert (project / "site/claims/mgt-fphl-trial/index.html").is_file()
    assert (project / "site/handouts/magnesium-l-threonate.pdf").is_file()


def test_a_rebuild_makes_again_only_the_pages_whose_evidence_changed(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `mkdocs serve` (one session's templates and load cache), a claim page is made
    again when its card, its form, its article or a reference it cites changed, an article
    or form page when it, its cards or their forms changed, and only then (issue 26 §6: a
    rebuild after one card edit under 1 s at 1,000 cards)."""
    from generator.config import Settings
    from generator.core.load import LoadCache, load_evidence
    from generator.outputs import pages, site_files
    from tests.test_pdf import set_field

    made: list[str] = []
    render = pages._render

    def counted(ev, env, src, kind, site):  # type: ignore[no-untyped-def]
        if kind in ("claim", "article", "form"):
            made.append(src)
        return render(ev, env, src, kind, site)

    monkeypatch.setattr(pages, "_render", counted)
    cache, templates = LoadCache(), pages.Templates()

    def rebuild() -> dict[str, str]:
        made.clear()
        files = site_files(load_evidence(project, cache=cache)[0], Settings(), project,
                           templates).files
        return {src: str(text) for src, text in files.items()}

    content = project / "content"
    article, form_page = "articles/mgt-effective-treatment.md", "forms/magnesium-l-threonate.md"
    both = [article, "claims/mgt-dkk1-dermal-papilla.md", "claims/mgt-fphl-trial.md"]
    first = rebuild()
    assert sorted(made) == [*both, form_page]
    assert rebuild() == first and made == []
    set_field(content / "cards/mgt-fphl-trial.yaml", "claim", "An edited claim.")
    files = rebuild()
    assert sorted(made) == [article, "claims/mgt-fphl-trial.md", form_page]
    assert all("An edited claim." in files[src].replace("\\", "") for src in made)
    bib = content / "references.bib"
    bib.write_text(bib.read_text().replace("Preventable effect of L-threonate",
                                           "Edited effect of L-threonate"))
    files = rebuild()
    assert made == ["claims/mgt-dkk1-dermal-papilla.md"]
    assert "Edited effect of L-threonate" in files[made[0]]
    form = content / "forms/magnesium-l-threonate.yaml"
    form.write_text(form.read_text().replace("name: Magnesium L-threonate",
                                             "name: Edited threonate"))
    files = rebuild()
    assert sorted(made) == [*both, form_page]
    assert all("Edited threonate" in files[src] for src in made)
    source = next((content / "sources").glob("*.yaml"))
    text = source.read_text()
    title = re.search(r"^title: (.*)$", text, re.M)
    assert title
    source.write_text(text.replace(title.group(0), "title: An edited article title"))
    files = rebuild()
    assert sorted(made) == both
    assert all("An edited article title" in files[src] for src in made)
