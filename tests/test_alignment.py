"""CIT301's alignment stays bounded in time and says when its verdict is the cheaper one."""
from __future__ import annotations

import random

from citelint import lint_text
from citelint.alignment import MAX_ALIGNED, MAX_SEARCHED, _align, align
from citelint.textnorm import normalize
from tests.families import words
from tests.reports import report, row


def cit301(text: str) -> list[str]:
    return [f.message for f in lint_text(text) if f.code == "CIT301"]


def test_a_changed_word_in_a_long_context_is_found_around_the_anchor() -> None:
    before, after = words(2_000, 5), words(2_000, 6)
    quoted = "the harbour council voted to lease a second boat for the summer season"
    context = f"{before}. {quoted}. {after}."
    assert len(context) > MAX_SEARCHED
    (message,) = cit301(report("A [1].", [row(1, quoted.replace("summer", "winter") + ".", context)]))
    assert "context has 'summer' where the claim has 'winter'" in message


def test_the_window_gives_what_the_whole_context_gives() -> None:
    # Within the sizes both can handle, aligning around the anchor finds the same passage
    # and the same differences as aligning against the whole context.
    rng = random.Random(8)
    for seed in range(20):
        context_words = words(1_200, seed).split()
        at = rng.randrange(0, 1_100)
        claim_words = context_words[at : at + 25]
        claim_words[rng.randrange(25)] = "lighthouse"
        claim, context = normalize(" ".join(claim_words)), normalize(" ".join(context_words))
        assert len(context) > MAX_SEARCHED
        windowed, whole = align(claim, context), _align(claim, context)
        assert (windowed.start, windowed.end, windowed.differences) == (whole.start, whole.end, whole.differences)


def test_a_claim_too_long_to_align_says_so() -> None:
    context = words(600, 1)
    claim = context.replace(" ", " lighthouse ", 1)
    assert len(claim) > MAX_ALIGNED
    (message,) = cit301(report("A [1].", [row(1, claim + ".", context + ".")]))
    assert "not aligned word by word" in message
    assert "three-word sequences occur in the context" in message
    assert "differs from its context" not in message


def test_the_cheaper_verdict_counts_the_shared_word_sequences() -> None:
    context = normalize(words(600, 1))
    half = context.split()
    claim = " ".join(half[:300] + [f"lighthouse{i}" for i in range(300)])
    found = align(claim, context)
    assert not found.aligned and found.differences == ()
    assert 40 < found.score < 60  # the first half's sequences, of about twice as many


def test_a_long_claim_that_is_in_its_context_is_not_reported() -> None:
    context = words(3_000, 2)
    claim = " ".join(context.split()[1_000:2_000])
    assert cit301(report("A [1].", [row(1, claim + ".", context + ".")])) == []


def test_the_rule_page_states_the_limits_in_force() -> None:
    from tests.conftest import ROOT

    page = (ROOT / "rules" / "CIT301.md").read_text(encoding="utf-8")
    assert f"longer than {MAX_SEARCHED:,} characters" in page
    assert f"longer than {MAX_ALIGNED:,} characters" in page
