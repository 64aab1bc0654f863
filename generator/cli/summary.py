"""What `evidence build` says at the end: what was built, where, and how to view it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit


def summary(out: Path, claims: int, site_url: str, offline: bool = False) -> str:
    """What was built, where, and how to view it."""
    pages = sum(1 for _ in out.rglob("*.html")) - (1 if (out / "404.html").exists() else 0)
    handouts = sum(1 for _ in out.rglob("*.pdf"))
    data = sorted(p.name for p in (out / "data").glob("*")
                  if p.is_file() and p.suffix != ".html")  # data/index.html is the Data page
    base = urlsplit(site_url).path or "/"
    view = (f"open {out / 'index.html'} in a browser" if offline else
            f"mkdocs serve (http://127.0.0.1:8000{base}, the base path of site_url), or "
            f"python3 -m http.server -d {out} (http://127.0.0.1:8000/)")
    return (f"built {pages} pages ({claims} claim pages), {handouts} PDF handouts and "
            f"{len(data)} data files ({', '.join(data)}) into {out}\nview it: {view}")

