"""Pages written as HTML get the heading ids and permalinks that Markdown pages get."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from markupsafe import escape

from generator.htmlpage import _anchored
from generator.render import md_escape

TOC = {"permalink": True}


@pytest.mark.parametrize("title", ["References", "Magnesium & zinc <5 mg>",
                                   "Über „Haar“ – 20 % 'fast'", "Mg²⁺: follow-up (n = 12)."])
def test_heading_ids_and_permalinks_are_those_of_the_toc_extension(title: str) -> None:
    md = markdown.Markdown(extensions=["toc"], extension_configs={"toc": TOC})
    expected = md.convert(f"# {md_escape(title)}\n\n## References\n\n## References")
    ours, tokens = _anchored(f"<h1>{escape(title)}</h1>\n<h2>References</h2>\n"
                             "<h2>References</h2>", set(), TOC)
    ids = re.compile(r'<h\d id="([^"]+)">')
    assert ids.findall(ours) == ids.findall(expected)  # unique, as toc makes them
    links = re.compile(r'<a class="headerlink" href="#[^"]+" title="Permanent link">&para;</a>')
    assert links.findall(ours) == links.findall(expected)
    assert html.unescape(tokens[0]["name"]) == title


def test_an_id_already_on_the_page_is_not_given_to_a_heading() -> None:
    ours, tokens = _anchored('<h2>Ref 1</h2><li id="ref-1"></li>', {"ref-1"}, TOC)
    assert tokens[0]["id"] == "ref-1_1" and 'id="ref-1_1"' in ours
