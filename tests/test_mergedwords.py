from __future__ import annotations

from pathlib import Path

import pytest

from citelint import cache, lexicon
from citelint.mergedwords import Detector, candidates

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


def test_lexicon_is_cached_and_reloaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITELINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(lexicon, "_LOADED", None)
    built = lexicon.load()
    assert (tmp_path / lexicon.CACHE_NAME).exists()
    monkeypatch.setattr(lexicon, "_LOADED", None)
    monkeypatch.setattr(lexicon, "build", lambda: pytest.fail("rebuilt despite the cache"))
    again = lexicon.load()
    assert again.word("the") == built.word("the") and again.bigram_probability("of", "the") > 0


def test_corrupt_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITELINT_CACHE_DIR", str(tmp_path))
    (tmp_path / lexicon.CACHE_NAME).write_bytes(b"garbage")
    monkeypatch.setattr(lexicon, "_LOADED", None)
    assert lexicon.load().word("the") is not None


def test_unwritable_cache_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("CITELINT_CACHE_DIR", str(blocker / "sub"))
    cache.store("x.bin", 1)  # must not raise
    assert cache.load("x.bin") is None
