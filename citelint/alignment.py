"""Say how a quotation differs from the passage it was taken from.

Fuzzy alignment costs time with the product of the lengths (and worse), so it is bounded:
a claim is aligned only within a window of its context found in linear time (where the
claim's word sequences are densest), and a claim too long to align gets a cheaper verdict,
which says so.
"""
from __future__ import annotations

from typing import NamedTuple


# Below this partial-match score (0-100) the claim is not a variant of any passage.
UNRELATED_SCORE = 60.0
# The longest claim (characters, normalised) aligned character by character: about 180
# words, longer than the claims of the corpus (at most ~1,000); an alignment of this size
# takes a fraction of a second at worst, and time grows with the square of it.
MAX_ALIGNED = 1_200
# Contexts up to this length are searched whole; longer ones only around the anchor.
MAX_SEARCHED = 4 * MAX_ALIGNED
_MAX_DIFFERENCES = 3
_PUNCT = "\"'.,;:!?()[]"

Word = tuple[str, int, int]  # the word, its start and end offsets


class Alignment(NamedTuple):
    score: float  # 0-100, how well the claim matches its best passage
    start: int  # the best passage, as offsets into the normalised context
    end: int
    differences: tuple[str, ...]
    # False when the claim was too long to align: ``score`` is then the share of its
    # three-word sequences found in the context, and there are no differences.
    aligned: bool = True


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


def _align(claim: str, context: str) -> Alignment:
    """Both texts normalised (textnorm.normalize). Finds the passage of ``context`` closest
    to ``claim`` and lists the word differences, the context's words first. Unbounded:
    ``align`` calls it on bounded sizes only."""
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


def _keys(words: list[Word]) -> list[str]:
    return [w.strip(_PUNCT) for w, _, _ in words]


def _grams(words: list[str], size: int) -> list[tuple[str, ...]]:
    # zip over shifted copies builds the tuples in C: 1.8x faster on millions of words.
    return list(zip(*(words[i:] for i in range(size))))


def _shared(claim: list[str], context: list[str]) -> float:
    """The share (0-100) of the claim's distinct three-word sequences found in the context."""
    wanted = set(_grams(claim, 3))
    return 100.0 * len(wanted & set(_grams(context, 3))) / len(wanted) if wanted else 0.0


def _anchor(claim: list[str], context: list[str]) -> tuple[int, int]:
    """The run of context words (first, past the last) as long as the claim where most of
    the claim's word sequences occur. Linear: a set of the claim's n-grams, one pass over
    the context's, and a sliding count. Trigrams first; shorter ones when no trigram is
    shared."""
    width = max(1, min(len(claim), len(context)))
    for size in (3, 2, 1):
        if len(claim) < size or len(context) < size:
            continue
        wanted = set(_grams(claim, size))
        hits = [gram in wanted for gram in _grams(context, size)]
        if not any(hits):
            continue
        run = min(width, len(hits))
        count = best = sum(hits[:run])
        best_at = 0
        for j in range(run, len(hits)):
            count += hits[j] - hits[j - run]
            if count > best:
                best, best_at = count, j - run + 1
        return best_at, min(len(context), best_at + width)
    return 0, width if context else 0


def align(claim: str, context: str) -> Alignment:
    """Both texts normalised (textnorm.normalize). The passage of ``context`` closest to
    ``claim`` and the word differences between them, the context's words first. Bounded in
    time: contexts longer than MAX_SEARCHED are searched only around an anchor found in
    linear time, and a claim longer than MAX_ALIGNED gets the cheaper verdict
    (``aligned=False``)."""
    if len(claim) <= MAX_ALIGNED and len(context) <= MAX_SEARCHED:
        return _align(claim, context)
    claim_words, context_words = _words(claim), _words(context)
    claim_keys, context_keys = _keys(claim_words), _keys(context_words)
    if not context_words:
        return Alignment(0.0, 0, 0, (), aligned=len(claim) <= MAX_ALIGNED)
    first, last = _anchor(claim_keys, context_keys)
    if len(claim) > MAX_ALIGNED:
        share = _shared(claim_keys, context_keys)
        return Alignment(share, context_words[first][1], context_words[last - 1][2], (), aligned=False)
    # A window of the context around the anchor, with room each side for the words the
    # claim added or dropped: about MAX_SEARCHED characters in all.
    pad = max(len(claim), (MAX_SEARCHED - len(claim)) // 2)
    start = max(0, context_words[first][1] - pad)
    end = min(len(context), context_words[last - 1][2] + pad)
    start = context.rfind(" ", 0, start) + 1  # whole words
    cut = context.find(" ", end)
    end = len(context) if cut < 0 else cut
    found = _align(claim, context[start:end])
    return found._replace(start=found.start + start, end=found.end + start)
