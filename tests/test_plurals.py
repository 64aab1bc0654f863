"""Counts read as words where one thing is counted: "1 web article", "1 supplement form"."""

from __future__ import annotations

from pathlib import Path

from generator.config import Texts
from generator.core.load import load_evidence
from generator.counting import counted
from generator.outputs.handouts import handout_data
from generator.outputs.pages import Site, page_fields


def test_counted() -> None:
    assert counted(1, "problem") == "1 problem"
    assert counted(2, "problem") == "2 problems"
    assert counted(0, "warning") == "0 warnings"
    assert counted(1, "web article") == "1 web article"
    assert counted(1, "kind of vitamin D", "kinds of vitamin D") == "1 kind of vitamin D"
    assert counted(3, "kind of vitamin D", "kinds of vitamin D") == "3 kinds of vitamin D"


def test_one_article_and_one_form_are_counted_in_the_singular(project: Path) -> None:
    evidence, _ = load_evidence(project)
    assert len(evidence.sources) == 1 and len(evidence.forms) == 1
    site = Site(texts=Texts(topic="magnesium and hair loss"))
    home = page_fields(evidence, "index.md", "home", site)["description"]
    assert "from 1 web article," in home
    forms = page_fields(evidence, "forms/index.md", "forms", site)["description"]
    assert forms.startswith("The 1 supplement form we checked")
    articles = page_fields(evidence, "articles/index.md", "articles", site)["description"]
    assert articles.startswith("The 1 web article about")
    data = handout_data(evidence, None, "a4", texts=Texts(form_noun="kind of magnesium",
                                                        forms_noun="kinds of magnesium"))
    text = repr(data)
    assert "about 1 kind of magnesium" in text and "1 supplement forms" not in text


def test_the_claims_index_counts_in_words(project: Path) -> None:
    from generator.outputs.pages import make_env, render_site

    evidence, _ = load_evidence(project)
    texts = Texts(topic="magnesium and hair loss")
    page = render_site(evidence, make_env(texts=texts), only={"claims/index.md"},
                       site=Site(texts=texts))["claims/index.md"]
    assert "2 claims from 1 web article, about 1 supplement form." in page
