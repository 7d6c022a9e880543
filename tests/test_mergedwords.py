from __future__ import annotations

from pathlib import Path

import pytest

from citelint import lexicon
from citelint.mergedwords import Detector, Options, candidates

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(lexicon.load())


def test_tricky_word_list_is_never_flagged(detector: Detector) -> None:
    words = [
        w.strip()
        for w in (ROOT / "benchmarks" / "tricky_words.txt").read_text().splitlines()
        if w.strip() and not w.startswith("#")
    ]
    assert len(words) > 100
    assert [w for w in words if detector.split(w, set())] == []


@pytest.mark.parametrize(
    ("token", "split"),
    [
        ("andmore", ("and", "more")),
        ("ofthe", ("of", "the")),
        ("Inthe", ("In", "the")),
        ("includinga", ("including", "a")),
        ("theKremlin", ("the", "Kremlin")),
        ("recognizeannexed", ("recognize", "annexed")),
    ],
)
def test_known_merges(detector: Detector, token: str, split: tuple[str, str]) -> None:
    assert detector.split(token, set()) == split


def test_candidates_skip_tokens_that_are_not_plain_words() -> None:
    text = "Shahed-136 1,000 U.S. https://x.org/andmore *andmore* _ofthe_ 'ofthe' ok (andmore), x"
    assert [t for _, t in candidates(text)] == ["ok", "andmore", "x"]


@pytest.mark.parametrize(
    ("token", "split"),
    [
        ("theSPF", ("the", "SPF")),
        ("aBIOS", ("a", "BIOS")),
        ("NFSis", ("NFS", "is")),
        ("itby", ("it", "by")),
    ],
)
def test_acronym_and_short_merges(detector: Detector, token: str, split: tuple[str, str]) -> None:
    assert detector.split(token, set()) == split


@pytest.mark.parametrize("token", ["VMware", "GNUstep", "UBSan", "TURBOchannel", "inout", "onto", "MBit", "PDFs", "hepaticall"])
def test_brands_acronym_plurals_and_particles_are_words(detector: Detector, token: str) -> None:
    assert detector.split(token, set()) is None


def test_an_acronym_glued_to_a_word_only_in_a_damaged_document(detector: Detector) -> None:
    # "SPARCsystem 4" is a product's name; in a document damaged elsewhere, a lost space.
    assert detector.split("SMTPserver", set()) is None
    damaged = Detector(lexicon.load(), Options(damaged=True))
    assert damaged.split("SMTPserver", set()) == ("SMTP", "server")
    assert damaged.split("GNUstep", set()) is None


@pytest.mark.parametrize(
    ("token", "split"),
    [("Iwas", ("I", "was")), ("Lifeis", ("Life", "is")), ("InEurope", ("In", "Europe")), ("TheUniversity", ("The", "University"))],
)
def test_sentence_initial_merges(detector: Detector, token: str, split: tuple[str, str]) -> None:
    assert detector.split(token, set()) == split


@pytest.mark.parametrize("token", ["Nuristanis", "Willis", "Farhad", "Helland", "InDesign", "MySpace", "Ivan", "MarkTwain"])
def test_names_and_brands_left_alone(detector: Detector, token: str) -> None:
    assert detector.split(token, set()) is None


def test_two_names_glued_in_a_damaged_document() -> None:
    damaged = Detector(lexicon.load(), Options(damaged=True))
    assert damaged.split("MarkTwain", set()) == ("Mark", "Twain")
    assert damaged.split("MicroEmacs", set()) is None
    assert damaged.split("PolicyKit", set()) is None
