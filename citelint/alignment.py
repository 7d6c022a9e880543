"""Say how a quotation differs from the passage it was taken from."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

# Below this partial-match score (0-100) the claim is not a variant of any passage.
UNRELATED_SCORE = 60.0
_MAX_DIFFERENCES = 3


@dataclass(frozen=True)
class Alignment:
    score: float  # 0-100, how well the claim matches its best passage
    start: int  # the best passage, as offsets into the normalised context
    end: int
    differences: tuple[str, ...]


def _words(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    out = []
    pos = start
    for word in text[start:end].split(" "):
        if word:
            out.append((word, pos, pos + len(word)))
        pos += len(word) + 1
    return out


def _quote(words: list[tuple[str, int, int]]) -> str:
    text = " ".join(w for w, _, _ in words)
    return f"'{text[:60]}...'" if len(text) > 60 else f"'{text}'"


def align(claim: str, context: str) -> Alignment:
    """Both texts normalised (textnorm.normalize). Finds the passage of ``context`` closest
    to ``claim`` and lists the word differences, context first."""
    from rapidfuzz import fuzz  # imported here: only a claim missing from its context pays

    found = fuzz.partial_ratio_alignment(claim, context)
    if found is None:
        return Alignment(0.0, 0, 0, ())
    # Widen the window to whole words, plus a few words either side, so that words the
    # claim added or dropped at its edges still line up.
    start = context.rfind(" ", 0, found.dest_start) + 1
    end = context.find(" ", found.dest_end)
    end = len(context) if end < 0 else end
    ctx_words = _words(context, start, end)
    pad = len(_words(context, 0, start))
    before = _words(context, 0, start)[-min(3, pad) :] if pad else []
    after = _words(context, end, len(context))[:3]
    ctx_words = before + ctx_words + after
    claim_words = _words(claim, 0, len(claim))
    matcher = difflib.SequenceMatcher(None, [w for w, _, _ in claim_words], [w for w, _, _ in ctx_words], autojunk=False)
    ops = matcher.get_opcodes()
    # Context words outside the matched stretch are the passage around the quotation.
    while ops and ops[0][0] == "insert":
        ops = ops[1:]
    while ops and ops[-1][0] == "insert":
        ops = ops[:-1]
    differences = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if tag == "replace":
            differences.append(
                f"context has {_quote(ctx_words[j1:j2])} where the claim has {_quote(claim_words[i1:i2])}"
            )
        elif tag == "delete":
            differences.append(f"claim adds {_quote(claim_words[i1:i2])}")
        else:
            differences.append(f"claim drops {_quote(ctx_words[j1:j2])}")
    if ops:
        first = next((o for o in ops if o[0] != "delete"), None)
        last = next((o for o in reversed(ops) if o[0] != "delete"), None)
        if first and last and first[3] < len(ctx_words) and last[4] > 0:
            start, end = ctx_words[first[3]][1], ctx_words[max(first[3], last[4] - 1)][2]
    return Alignment(found.score, start, end, tuple(differences[:_MAX_DIFFERENCES]))
