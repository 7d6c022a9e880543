"""Say how a quotation differs from the passage it was taken from."""
from __future__ import annotations

from typing import NamedTuple


# Below this partial-match score (0-100) the claim is not a variant of any passage.
UNRELATED_SCORE = 60.0
_MAX_DIFFERENCES = 3
_PUNCT = "\"'.,;:!?()[]"

Word = tuple[str, int, int]  # the word, its start and end offsets


class Alignment(NamedTuple):
    score: float  # 0-100, how well the claim matches its best passage
    start: int  # the best passage, as offsets into the normalised context
    end: int
    differences: tuple[str, ...]


def _words(text: str) -> list[Word]:
    out = []
    pos = 0
    for word in text.split(" "):
        if word:
            out.append((word, pos, pos + len(word)))
        pos += len(word) + 1
    return out


def _quote(words: list[Word]) -> str:
    text = " ".join(w for w, _, _ in words).strip(_PUNCT + " ") or " ".join(w for w, _, _ in words)
    return f"'{text[:60]}...'" if len(text) > 60 else f"'{text}'"


def align(claim: str, context: str) -> Alignment:
    """Both texts normalised (textnorm.normalize). Finds the passage of ``context`` closest
    to ``claim`` and lists the word differences, the context's words first."""
    # Imported here: only a claim missing from its context pays for them.
    import difflib

    from rapidfuzz import fuzz

    found = fuzz.partial_ratio_alignment(claim, context)
    if found is None:
        return Alignment(0.0, 0, 0, ())
    claim_words = _words(claim)
    all_words = _words(context)
    # The passage rapidfuzz found, widened by half the claim's length each side, so that
    # words the claim added or dropped near its edges still line up.
    slack = len(claim) // 2
    window = [w for w in all_words if w[2] > found.dest_start - slack and w[1] < found.dest_end + slack]
    # Words compare without the punctuation around them: "city." quotes "city".
    matcher = difflib.SequenceMatcher(
        None, [w.strip(_PUNCT) for w, _, _ in claim_words], [w.strip(_PUNCT) for w, _, _ in window], autojunk=False
    )
    ops = matcher.get_opcodes()
    # Context words before the first and after the last match are the passage around the
    # quotation; at a replaced edge only as many context words as the claim has count.
    while ops and ops[0][0] == "insert":
        ops.pop(0)
    while ops and ops[-1][0] == "insert":
        ops.pop()
    if ops and ops[0][0] == "replace":
        tag, i1, i2, j1, j2 = ops[0]
        ops[0] = (tag, i1, i2, max(j1, j2 - (i2 - i1)), j2)
    if ops and ops[-1][0] == "replace":
        tag, i1, i2, j1, j2 = ops[-1]
        ops[-1] = (tag, i1, i2, j1, min(j2, j1 + (i2 - i1)))
    differences = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "replace":
            differences.append(f"context has {_quote(window[j1:j2])} where the claim has {_quote(claim_words[i1:i2])}")
        elif tag == "delete":
            differences.append(f"claim adds {_quote(claim_words[i1:i2])}")
        elif tag == "insert":
            differences.append(f"claim drops {_quote(window[j1:j2])}")
    spans = [(j1, j2) for tag, _, _, j1, j2 in ops if j2 > j1]
    if spans:
        start, end = window[spans[0][0]][1], window[spans[-1][1] - 1][2]
    else:
        start, end = found.dest_start, found.dest_end
    return Alignment(found.score, start, end, tuple(differences[:_MAX_DIFFERENCES]))
