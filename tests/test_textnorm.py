"""The offset maps of the visible and the normalised text (``visible_with_map``,
``normalize_with_map``) read text a run at a time; each must give exactly what reading it a
character at a time gives, and every offset must point at the character it came from."""
from __future__ import annotations

import html
import random

from citelint import textnorm
from citelint.textnorm import TAG_RE, normalize, normalize_with_map, visible, visible_with_map

_ALPHABET = list("ab cD\u00a0\u200b\u2019\u2026\u0130\t\n.") + [
    "<b>", "</b>", "<br>", "&amp;", "&#x41;", "&nope", "<", "&", "<font color=#FF3399>", "x", "  ",
]


def _pieces(text: str) -> list[tuple[int, str]]:
    """(offset, what a reader sees there) for each tag, entity and character, one by one."""
    out = []
    pos = 0
    while pos < len(text):
        tag = TAG_RE.match(text, pos) if text[pos] == "<" else None
        entity = textnorm._ENTITY_RE.match(text, pos) if text[pos] == "&" else None
        if tag:
            out.append((pos, textnorm._tag_text(tag.group(0))))
            pos = tag.end()
        elif entity:
            out.append((pos, html.unescape(entity.group(0))))
            pos = entity.end()
        else:
            out.append((pos, text[pos]))
            pos += 1
    return out


def _normalized_by_character(text: str) -> tuple[str, list[int]]:
    """The normalised text a character at a time; a space maps to where the whitespace it
    stands for begins."""
    out: list[str] = []
    index: list[int] = []
    pending: int | None = None
    for pos, shown in _pieces(text):
        for c in shown.translate(textnorm._TABLE).lower():
            if c == " ":
                if pending is None and out:
                    pending = pos
                continue
            if pending is not None:
                out.append(" ")
                index.append(pending)
                pending = None
            out.append(c)
            index.append(pos)
    return "".join(out), index + [len(text)]


def _texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40))) for _ in range(n)]


def test_visible_map_is_what_reading_one_character_at_a_time_gives() -> None:
    for text in _texts(5000, 1):
        shown, index = visible_with_map(text)
        expected = [(pos, c) for pos, piece in _pieces(text) for c in piece]
        assert shown == "".join(c for _, c in expected) == visible(text)
        assert list(index) == [pos for pos, _ in expected] + [len(text)]


def test_normalized_map_is_what_reading_one_character_at_a_time_gives() -> None:
    for text in _texts(5000, 2):
        # Lower-casing a run at a time is contextual where one character is not: a final
        # sigma; compare with it folded.
        shown, index = normalize_with_map(text)
        expected, expected_index = _normalized_by_character(text)
        assert shown.replace("\u03c2", "\u03c3") == expected.replace("\u03c2", "\u03c3")
        assert list(index) == expected_index


def test_normalized_map_agrees_with_normalize_on_prose() -> None:
    text = "The <b>ferry</b>\u00a0stopped \u2014 running&nbsp;in \u201cMarch\u201d\u2026  "
    shown, index = normalize_with_map(text)
    assert shown == normalize(text) == 'the ferry stopped - running in "march"...'
    assert text[index[shown.index("march")] : index[shown.index("march")] + 5] == "March"


def test_visible_text_keeps_a_space_for_breaking_tags_only() -> None:
    tags = ["<br>", "<BR/>", "<p class=x>", "</td>", "<b>", "</span>", "<brx>", "<pre>", "<li\n>", "<h1 id='a'>", "<font color=#FF3399>"]
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice(tags + ["a", " ", "<", ">"]) for _ in range(rng.randint(0, 20)))
        assert visible(text) == "".join(piece for _, piece in _pieces(text))
