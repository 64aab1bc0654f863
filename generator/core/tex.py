"""TeX in .bib values → the text its author means, or why not (a command that is not text,
math). Pure; pylatexenc decodes what holds TeX, a fast path the rest."""

from __future__ import annotations

import re

from pylatexenc.latex2text import LatexNodes2Text, get_default_latex_context_db

_LATEX = LatexNodes2Text()
_TEX_COMMANDS = get_default_latex_context_db()
# The TeX commands decoded: accents, letters, text styles and symbols (and every one-character
# command: \" \' \& \% …). pylatexenc knows many more, but drops or garbles what follows
# them (\hspace, \cite, \title, \colorbox): the text would be in the .bib, not on the site.
_TEX_TEXT = {
    "c", "v", "u", "H", "r", "k", "b", "d",  # accents written with a letter
    "o", "O", "ss", "ae", "AE", "oe", "OE", "aa", "AA", "l", "L", "i", "j",
    "textit", "emph", "textbf", "textsc", "textrm", "textsl",
    "textendash", "textemdash", "textquoteright", "textquoteleft", "textquotedblleft",
    "textquotedblright", "textasciitilde", "textasciicircum", "textregistered",
    "texttrademark", "textcopyright", "textdegree", "textmu", "ldots", "dots", "textellipsis",
    "textbullet", "textpm", "pm", "times",
    "textperthousand", "textbackslash",
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau",
    "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda",
    "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
}
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
# % and & not escaped: in a .bib field the author means the characters (TeX would read a
# comment and an alignment tab, and drop what follows); $ starts math, which is ambiguous.
_LONE_ACCENT = re.compile(r"(?:^|[^\w\u0300-\u036f])[\u0300-\u036f]")
UNESCAPED = re.compile(r"(?<!\\)((?:\\\\)*)([%&$])")  # after an even number of \


def decode_tex(value: str) -> tuple[str, str]:
    """(text, "") of a .bib value as its author means it (25\\% and 25% are both 25%), or
    ("", why not) where TeX would change it silently (an unknown command, math)."""
    if not _LATEX_LIKE.search(value):
        return _dashes(value), ""
    for match in _TEX_COMMAND.finditer(value):
        name = match.group(1)
        if ((len(name) > 1 or name.isalpha()) and name not in _TEX_TEXT
                or _TEX_COMMANDS.get_macro_spec(name) is None):
            return "", (f"TeX command \\{name} is not decoded here: write the text itself "
                        "(Unicode characters are fine)")
    if any(m.group(2) == "$" for m in UNESCAPED.finditer(value)):
        return "", ("a $ would start TeX math: write the symbols themselves (Unicode), and \\$ "
                    "for a dollar sign")
    value = UNESCAPED.sub(lambda m: m.group(1) + "\\" + m.group(2), value)
    try:
        text = _LATEX.latex_to_text(value)
    except RecursionError:
        return "", "braces are nested too deeply"
    if _LONE_ACCENT.search(text):  # \" or \c with no letter: a stray combining mark
        return "", "an accent has no letter to go on: write the letter with its accent (ü)"
    return text, ""


def decode_names(parts: list[str], why: list[str]) -> str:
    """Name parts are split before LaTeX decoding (so {Institute of Medicine} stays one
    name); decode them here (what cannot be decoded goes to why)."""
    out = []
    for part in parts:
        text, problem = decode_tex(part)
        out.append(text)
        if problem:
            why.append(problem)
    return " ".join(out).strip()


# pylatexenc is slow (~0.2 ms a value, most of loading a .bib): a value with none of these
# holds no LaTeX but dashes (pages, 37--40), and is decoded here as pylatexenc would
# (tests/test_bench.py checks both against it on random text).
_LATEX_LIKE = re.compile(r"[\\{}$%&~#^_`]|''|[!?]`|\s\s|[^\S ]")


def _dashes(value: str) -> str:
    return value.replace("---", "\u2014").replace("--", "\u2013")
