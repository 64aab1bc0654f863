"""The Atom feed of every change note (feed.xml at the site's root), made with feedgen.

One entry per note, newest first, linking to the page it changed. Reproducible: every date
comes from the notes (the feed's `updated` is the newest note's), never from the clock, and
entry ids are derived from the page and the note's number, so they stay when notes are added.
"""

from __future__ import annotations

import datetime as dt
import uuid

from feedgen.feed import FeedGenerator

from generator.core.changes import change_log, long_date
from generator.core.model import Evidence

FEED = "feed.xml"  # the feed's path in every site
EPOCH = dt.date(1990, 1, 1)  # the feed's date while there are no notes (no clock)


def _time(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(), tzinfo=dt.UTC)


def feed_xml(ev: Evidence, site_url: str = "", site_name: str = "", title: str = "") -> str:
    """The feed as Atom 1.0 XML. Links are absolute when the site has an address, else
    relative to the feed (which sits at the site's root, beside the pages' folders)."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    name = site_name or title or "Evidence"
    log = change_log(ev)
    fg = FeedGenerator()
    fg.id(_id(base or "evidence-site:", ""))
    fg.title(f"{name}: changes to verdicts and bottom lines")
    fg.subtitle("Every change to a claim's verdict or certainty, or to a bottom line, "
                "dated and explained.")
    fg.author({"name": name})
    if base:
        fg.link(href=base + FEED, rel="self", type="application/atom+xml")
        fg.link(href=base, rel="alternate", type="text/html")
    fg.language("en")
    fg.updated(_time(log[0].date if log else EPOCH))
    for n in log:
        entry = fg.add_entry(order="append")
        entry.id(_id(base or "evidence-site:", f"{n.url}#change-{n.number}"))
        about = f"{n.form}: {n.title}" if n.form else n.title
        entry.title(f"{about} (updated {long_date(n.date)})")
        entry.link(href=base + n.url, rel="alternate", type="text/html")
        entry.summary(n.note)
        entry.updated(_time(n.date))
        entry.published(_time(n.date))
    return fg.atom_str(pretty=True).decode("utf-8")


def _id(base: str, path: str) -> str:
    """A permanent, valid Atom id (an IRI) for the feed or one note."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, base + path)}"
