"""URL normalisation: two spellings of one source compare equal."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from citelint import memo

TRACKING_PARAMS = frozenset(
    "fbclid gclid dclid msclkid mc_cid mc_eid igshid yclid _ga _gl ref_src ocid cmpid smid".split()
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


@memo.pure  # urlsplit costs more than the look-up: a server re-linting a report keeps them
def normalize_url(url: str) -> str:
    """Scheme and host case, ``www.``, default port, trailing slash, fragment and tracking
    parameters (``utm_*``, ``fbclid``, ...) do not make two URLs differ. http and https do
    not either: the same page served both ways is one source."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    netloc = host
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    path = parts.path.rstrip("/") or ""
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS
    ]
    if scheme in _DEFAULT_PORTS:
        scheme = "http"
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))
