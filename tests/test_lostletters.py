"""The loose list of CIT404: a Golomb-Rice coded set of fingerprints (citelint.lostletters)."""
from __future__ import annotations

import random
import string

from citelint import lostletters


def _words(rng: random.Random, n: int, length: int) -> list[str]:
    return ["".join(rng.choice(string.ascii_lowercase) for _ in range(length)) for _ in range(n)]


def test_a_coded_set_holds_its_forms_and_matches_others_about_once_in_2_to_the_bits() -> None:
    rng = random.Random(7)
    members = _words(rng, 5_000, 7)
    others = _words(rng, 40_000, 9)  # longer: none of them is a member
    loose = lostletters.parse_loose(lostletters.encode_loose(members, 8, members[:100], 12))
    assert loose is not None
    assert all(form in loose for form in members)
    assert all(form in loose.initial for form in members[:100])
    assert sum(form in loose.initial for form in members[100:]) < 20  # 4,900 at 1 in 4,096
    rate = sum(form in loose for form in others) / len(others)
    assert 0.5 / 256 < rate < 2 / 256


def test_a_coded_set_costs_about_its_bits_and_three_a_form() -> None:
    members = _words(random.Random(8), 20_000, 8)
    size = len(lostletters.encode_set(members, 13))
    assert 20_000 * 13 / 8 < size < 20_000 * 16 / 8


def test_a_truncated_or_foreign_loose_file_is_refused() -> None:
    blob = lostletters.encode_loose(["trkiye", "erdoan"], 10, ["ukasz"], 12)
    assert lostletters.parse_loose(blob) is not None
    assert lostletters.parse_loose(blob[:-1]) is None
    assert lostletters.parse_loose(blob + b"\0") is None
    assert lostletters.parse_loose(b"CITLF002" + blob[8:]) is None


def test_an_empty_set_holds_nothing() -> None:
    loose = lostletters.parse_loose(lostletters.encode_loose([], 10, [], 12))
    assert loose is not None and "rodol" not in loose and "ukasz" not in loose.initial


def test_the_shipped_loose_list_holds_rarer_damaged_forms() -> None:
    loose = lostletters.load_loose()
    assert "rodol" in loose and "lwis" in loose and "ukasz" in loose.initial
    assert "gdby" in loose  # iso-codes' "Gədəbəy": a listed name's form may lose half its letters
    assert "vlor" in loose  # iso-codes' "Vlorë": a Dutch word, but no English one
    # A form whose word lost its first letter is read in lower case only: in the
    # first-letter list, not in the list of forms read for capitalised words.
    assert "ukasz" not in loose and "arika" not in loose and "arika" in loose.initial
    assert "london" not in loose  # a word as it stands is no damaged form
