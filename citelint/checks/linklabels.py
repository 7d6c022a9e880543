"""CIT510: a link whose label names another site than the one it goes to.

``[nytimes.com](https://evil.example/x)`` and ``[Reuters](https://www.bbc.co.uk/news/1)``
tell the reader where a claim comes from, and the link says otherwise: a pasted label, a
source swapped for another, or a link made to look like a better source than it is. The
label must *clearly* name a site: a domain (``nytimes.com``, ``https://www.reuters.com/...``)
or, the whole label, the name of a well-known publisher. A title ("Reuters: Oil prices
fall") names no site, and is left alone. Precision first: no finding when the named site
appears anywhere in the URL (an archive copy, a redirect, a syndicated story's path).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from citelint.context import RuleContext
from citelint.finding import Hit
from citelint.registry import rule

# The formats whose sources are Markdown links (a SmartBook row's link is labelled "Source").
_ON = ("endnotes", "footnotes", "storm", "inline-links")

# Top-level domains a label must end in to be read as a domain: the common ones only, so
# that "Node.js", "setup.py" or "README.md" are not taken for sites. Written in lower case in
# the label ("ASP.NET" is a product name, "nytimes.com" a site).
_TLDS = frozenset(
    """com net org edu gov mil int info biz io ai co app dev news tv me eu us uk ca au nz ie za de fr
    es it nl be at ch se no dk fi pl pt gr cz ru cn jp kr in sg hk tw br mx ar cl il tr ly""".split()
)
# Second-level labels under a country's domain that are not a site's own name (bbc.co.uk).
_SECOND_LEVEL = frozenset("co com org net ac gov edu ne or go gob mil nic".split())
_DOMAIN_RE = re.compile(
    r"(?:https?://)?(?:www\.)?((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([a-z]{2,6}))(?::\d+)?(?:[/?#]\S*)?/?"
)
# Publishers whose name alone, as a whole label, names their site: a short list of the news
# and reference sites research reports cite most, each with the domains it publishes on.
PUBLISHERS: dict[str, tuple[str, ...]] = {
    "reuters": ("reuters.com",),
    "bbc": ("bbc.co.uk", "bbc.com"),
    "bbc news": ("bbc.co.uk", "bbc.com"),
    "new york times": ("nytimes.com",),
    "nyt": ("nytimes.com",),
    "washington post": ("washingtonpost.com",),
    "wall street journal": ("wsj.com",),
    "wsj": ("wsj.com",),
    "guardian": ("theguardian.com", "guardian.co.uk"),
    "bloomberg": ("bloomberg.com",),
    "cnn": ("cnn.com",),
    "cnbc": ("cnbc.com",),
    "associated press": ("apnews.com", "ap.org"),
    "ap news": ("apnews.com",),
    "financial times": ("ft.com",),
    "economist": ("economist.com",),
    "al jazeera": ("aljazeera.com", "aljazeera.net"),
    "npr": ("npr.org",),
    "forbes": ("forbes.com",),
    "politico": ("politico.com", "politico.eu"),
    "wikipedia": ("wikipedia.org",),
    "los angeles times": ("latimes.com",),
    "usa today": ("usatoday.com",),
    "axios": ("axios.com",),
    "techcrunch": ("techcrunch.com",),
    "the verge": ("theverge.com",),
    "wired": ("wired.com",),
}
_EMPHASIS = "*_`~ \t"


def registrable(host: str) -> str:
    """The part of a host a site registers ("bbc.co.uk" of "news.bbc.co.uk"), approximated
    without the public suffix list: one label under the top-level domain, two under a
    country's "co", "org", "ac" and the like."""
    parts = host.lower().rstrip(".").split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in _SECOND_LEVEL:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def _brand(host: str) -> str:
    return registrable(host).split(".")[0]


def same_site(named: str, host: str) -> bool:
    """Whether ``host`` is the site a label names as ``named`` (a domain): the same
    registered domain, or the same name under another top-level domain (nytimes.co.uk)."""
    return registrable(named) == registrable(host) or _brand(named) == _brand(host)


def named_sites(label: str) -> tuple[str, tuple[str, ...]] | None:
    """(how the label names it, the domains it names), when the label clearly names a site."""
    text = label.strip(_EMPHASIS)
    m = _DOMAIN_RE.fullmatch(text)
    if m is not None and m.group(2) in _TLDS:
        domain = m.group(1).lower()
        # A publisher's other domains are its site too (theguardian.com, guardian.co.uk).
        same = next((d for d in PUBLISHERS.values() if registrable(domain) in d), ())
        return domain, (domain, *(d for d in same if d != domain))
    name = " ".join(text.lower().rstrip(".:").split())
    name = name[4:] if name.startswith("the ") else name
    found = PUBLISHERS.get(name)
    return (text, found) if found else None


# The longest label read for a site's name: a publisher's name or a domain is far shorter.
# Searching further back for the "[" that opens a label made a line of thousands of links
# with unmatched brackets quadratic (each search ran back to the line's start).
MAX_LABEL = 1_000


def _label_start(line: str, close: int) -> int | None:
    """Where the "[" that opens the label closed at ``close`` (a "]") is, brackets matched;
    None when there is none within MAX_LABEL characters."""
    depth = 0
    for i in range(close, max(-1, close - MAX_LABEL - 1), -1):
        if line[i] == "]" and (i == 0 or line[i - 1] != "\\"):
            depth += 1
        elif line[i] == "[" and (i == 0 or line[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return i
    return None


def mismatch(label: str, url: str) -> tuple[str, str, str] | None:
    """(the label as it names the site, that site's domain, the URL's host) when the label
    clearly names another site than the URL's, else None."""
    named = named_sites(label)
    if named is None:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None  # an invalid URL is CIT505's
    if not host or "." not in host:
        return None
    shown, domains = named
    whole = url.lower()
    words = set(re.split(r"[^a-z0-9]+", whole))
    for domain in domains:
        # The named site in the URL's path or query: an archive copy, a redirect, a story
        # syndicated from it. A short name ("ap") is too common a word to say so.
        brand = _brand(domain)
        if same_site(domain, host) or domain in whole or len(brand) >= 4 and brand in words:
            return None
    return shown, domains[0], host.removeprefix("www.")


def _message(found: tuple[str, str, str], what: str) -> str:
    shown, domain, host = found
    names = f"'{shown}'" if shown.lower().removeprefix("www.") == domain else f"'{shown}' ({domain})"
    return f"{what} {names} names another site than its URL goes to ({host})"


@rule(
    "CIT510",
    "link-label-host-mismatch",
    "info",
    "A link's label names another site than the one its URL goes to.",
    formats=_ON,
)
def link_label_host_mismatch(ctx: RuleContext) -> Iterator[Hit]:
    from citelint import citations
    from citelint.readers.endnotes import lines, links

    doc = ctx.doc
    code_starts = [a for a, _ in doc.code]
    labelled: set[int] = set()  # where each Markdown link's URL starts
    for at, line in lines(doc.source, 0, doc.read_end):  # what was read (citelint.limits)
        if "](" not in line:
            continue
        for url, _, url_at in links(line):
            if url_at < 2 or line[url_at - 2 : url_at] != "](":
                continue  # a bare URL or an autolink: its label is the URL itself
            labelled.add(at + url_at)
            start = _label_start(line, url_at - 2)
            if start is None:
                continue
            offset = at + start
            i = bisect.bisect_right(code_starts, offset) - 1
            if i >= 0 and doc.code[i][0] <= offset < doc.code[i][1]:
                continue  # shown as code
            found = mismatch(line[start + 1 : url_at - 2], url)
            if found is not None:
                yield Hit(doc.span(offset, at + url_at - 1), _message(found, "link label"))
    # A source list entry written "[3] nytimes.com: https://..." labels its URL with its title.
    for source in ctx.cached(citations.of).sources:
        if source.title is None or source.url is None or source.defined_in is not None:
            continue
        if source.url_text is not None and source.url_text.start in labelled:
            continue  # a Markdown link: judged above
        found = mismatch(source.title, source.url)
        if found is not None:
            yield Hit(source.span, _message(found, f"the title of source {ctx.cached(citations.of).show(source.key)}"))
