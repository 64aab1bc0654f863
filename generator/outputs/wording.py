"""The topic's wording: the plugin's text options (generator/config.py: Texts) → the
sentences that pages and handouts use. Nothing about a topic is written in the code."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from generator.config import Texts
from generator.core import vocab

# Each page's own description (search results, link previews); home: after the answer.
PAGE_DESCRIPTIONS = {
    "home": "{claims} about {topic} from {articles}, checked one by one "
            "against the studies, with a verdict and the certainty of the evidence.",
    "claims": "Every claim about {topic} we checked, with its verdict, the certainty of the "
              "evidence and whether the article's citation held up.",
    "forms": "The {forms} we checked, each with its question answered in plain "
             "words and the claims behind the answer.",
    "articles": "The {articles} about {topic} we audited: what each claims, what "
                "it cited, and whether the citations held up.",
    "references": "Every study and reference work cited on this site about {topic}, with its "
                  "DOI or PubMed number and the claims that cite it.",
    "methodology": "How we check claims about {topic}: verdicts, citation checks and how the "
                   "certainty of the evidence is graded (GRADE).",
}
ARTICLE_DESCRIPTION = ("“{title}” ({site}): its {claims} checked one by one against the "
                       "studies, with what it cited and whether the citations held up.")
PATIENT_NOTE = ("This sheet tells you what studies show about claims made on the web. It does "
                "not tell you what to take. Ask your doctor or pharmacist{about}.")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
DISCLAIMER_SITE = ("This site reports what published evidence shows about claims made on the "
                   "web. It is not medical advice and does not recommend any supplement or "
                   "dose.")
DISCLAIMER = ("This handout reports what published evidence shows about claims made in web "
              "articles. It is not medical advice and does not recommend any supplement or dose.")

def disclaimer(texts: Texts) -> str:
    """The handout's disclaimer: where to look for reference values and safety, whom to ask."""
    if not texts.authority:
        return f"{DISCLAIMER} A{texts.ask[1:]}."  # "Ask a doctor or pharmacist …"
    host = urlsplit(texts.authority_url).hostname if texts.authority_url else None
    where = f" ({host})" if host else ""
    return (f"{DISCLAIMER} For reference values and safety, see the {texts.authority}{where}, "
            f"and {texts.ask}.")

def topic_vocab(texts: Texts) -> SimpleNamespace:
    """core/vocab.py's names, with the compound step worded for the topic."""
    names = {k: getattr(vocab, k) for k in dir(vocab) if not k.startswith("_")}
    reason = vocab.INDIRECTNESS["compound"][0]
    text = f"The study used {texts.other_compound}, another compound, or a mixture."
    names["DOWNGRADES"] = {**vocab.DOWNGRADES, reason: (vocab.DOWNGRADES[reason][0], text)}
    return SimpleNamespace(**names)


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def site_disclaimer(texts: Texts, about_href: str | None) -> str:
    """The disclaimer at the end of every page (HTML; every text escaped)."""
    ask = escape(texts.ask)
    where = Markup(f"{DISCLAIMER_SITE} ")
    if texts.authority:
        source = escape(texts.authority)
        if texts.authority_url:
            source = Markup(f'<a href="{escape(texts.authority_url)}">{source}</a>')
        where += Markup(f"For reference values and safety, see the {source}, and {ask}.")
    else:
        where += Markup(f"A{ask[1:]}.")
    if about_href:
        where += Markup(f' <a href="{escape(about_href)}">Who runs this audit, and how to '
                        "report an error</a>.")
    return f'\n<aside class="ev-disclaimer admonition note" role="note"><p>{where}</p></aside>\n'
