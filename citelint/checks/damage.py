"""Rules for text damaged upstream (a lossy conversion deleted spaces or apostrophes)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from citelint import lexicon, mergedwords
from citelint.finding import Hit
from citelint.mergedwords import Detector, Options
from citelint.model import Document, Text
from citelint.registry import rule

_DETECTORS: dict[Options, Detector] = {}


def prose_fields(doc: Document) -> list[Text]:
    """Every field of prose: the summary, then each row's claim and context."""
    fields = [doc.summary.text] if doc.summary and doc.summary.text else []
    for row in doc.rows:
        fields.append(row.claim)
        if row.context is not None:
            fields.append(row.context)
    return fields


def _detector(options: Mapping[str, Any]) -> Detector:
    opts = Options(
        ratio=float(options.get("ratio", Options.ratio)),
        capitalised_ratio=float(options.get("capitalised-ratio", Options.capitalised_ratio)),
        allow=frozenset(w.lower() for w in options.get("allow", ())),
    )
    # One detector per option set, so its memo of verdicts serves every file of a run.
    if opts not in _DETECTORS:
        _DETECTORS[opts] = Detector(lexicon.load(), opts)
    return _DETECTORS[opts]


@rule(
    "CIT401",
    "merged-words",
    "warning",
    "Two words glued together by a missing space ('andmore').",
    allow=[],
)
def merged_words(doc: Document, options: Mapping[str, Any]) -> Iterator[Hit]:
    detector = _detector(options)
    fields = prose_fields(doc)
    # A name glued to the next word ("Kyivand") is only recognised when the name also
    # stands alone somewhere in the document.
    names = set().union(*(mergedwords.names(f.raw) for f in fields))
    for field in fields:
        for merge in detector.scan(field.raw, names):
            start = field.start + merge.start
            yield Hit(
                doc.span(start, start + len(merge.token)),
                f"'{merge.token}' looks like '{merge.first} {merge.second}' (a missing space)",
            )
