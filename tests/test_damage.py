"""The damage rules (CIT401-CIT404): what they leave alone, what they find, their fixes, and
their cost on hostile input."""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from citelint.api import lint_text
from citelint.checks.damage import lost_letters, merged_words, missing_apostrophe, missing_space_after_punctuation
from citelint.codespans import blank_code, code_ranges
from citelint.finding import Applicability, Finding
from citelint.fixer import apply_edits
from tests.reports import report, row

ROOT = Path(__file__).resolve().parent.parent
DAMAGE = [merged_words, missing_space_after_punctuation, missing_apostrophe, lost_letters]


def found(text: str, code: str) -> list[Finding]:
    return [f for f in lint_text(text, rules=DAMAGE) if f.code == code]


def summary_only(summary: str) -> str:
    return report(summary + " " + "<font color=#FF3399>[1]</font>.", [row(1, "A claim.")])


def tokens(text: str, code: str) -> list[str]:
    lines = text.split("\n")
    return [lines[f.line - 1][f.col - 1 : f.span.end_col - 1] for f in found(text, code)]


def fix_all(text: str, codes: tuple[str, ...] = ("CIT401", "CIT402", "CIT403", "CIT404")) -> str:
    """``text`` with every fix of the given rules applied (unsafe ones too), once."""
    edits = sorted(
        {e for f in lint_text(text, rules=DAMAGE) if f.code in codes and f.fix for e in f.fix.edits},
        key=lambda e: (e.start, e.end),
    )
    kept, cursor = [], 0
    for edit in edits:
        if edit.start >= cursor:
            kept.append(edit)
            cursor = edit.end
    return apply_edits(text, kept)


# --- code spans ---------------------------------------------------------------------------


def test_code_spans_follow_commonmark() -> None:
    text = "a `x.Y` b ``c `d` e`` f ` g"
    assert [text[s:e] for s, e in code_ranges(text)] == ["`x.Y`", "``c `d` e``"]
    fenced = "prose\n```python\nx = f(a,b)\n```\nmore"
    assert blank_code(fenced).split("\n")[2].strip() == ""
    assert len(blank_code(fenced)) == len(fenced)


# --- CIT402 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prose",
    [
        "Use `decimal.Decimal` for money.",
        "Use decimal.Decimal for money and typing.Generic for classes.",
        "It raises binascii.Error when the input is bad.",
        "Call re.Pattern.match on it.",
        "Call name.Name(x) first.",
        "The value of f(foo,bar) is their sum.",
        "It ran on {Net,Free,Open}BSD systems.",
        "The telecom company One.Tel collapsed.",
        "```\nx = a,b\ny = os.Path\n```",
    ],
)
def test_missing_space_leaves_code_alone(prose: str) -> None:
    assert found(summary_only(prose), "CIT402") == []


def test_missing_space_finds_prose_glues() -> None:
    text = summary_only("Floods hit Sindh,Balochistan and Punjab. Fighting went on in Ukraine.The talks failed, he said.It was over.")
    assert tokens(text, "CIT402") == [",", ".", "."]


def test_missing_space_message_quotes_a_bounded_excerpt() -> None:
    text = summary_only("ab," * 30_000)
    messages = [f.message for f in found(text, "CIT402")]
    assert len(messages) == 100  # at most 100 findings a field, the last one says so
    assert messages[-1].endswith("(more in this text are not reported)")
    assert max(len(m) for m in messages) < 150


def _lint_seconds(text: str) -> float:
    """One lint's time, the garbage collector held off (its full passes walk the test
    process's whole heap, which is no cost of the rules)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        lint_text(text, rules=DAMAGE)
        return time.perf_counter() - start
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "family",
    [
        lambda n: summary_only("ab,ab," * n),
        lambda n: report("A summary <font color=#FF3399>[1]</font>.", [row(1, "ab,ab," * n, "x")]),
        lambda n: summary_only("ab," * n),
        # Many merges in a claim whose context is no exact quote of it: each fix looks for
        # the same words in the context.
        lambda n: report("A summary <font color=#FF3399>[1]</font>.", [row(1, "andmore " * (n // 4), "andmore, " * (n // 4))]),
    ],
    ids=["summary", "claim", "single", "merges"],
)
def test_glued_runs_cost_linear_time_and_bounded_memory(family: object) -> None:
    make = family  # type: ignore[assignment]
    small, large = make(5_000), make(20_000)  # type: ignore[operator]
    _lint_seconds(small)  # warm the caches
    t_small = min(_lint_seconds(small) for _ in range(5))
    t_large = min(_lint_seconds(large) for _ in range(5))
    # Linear growth gives about 4; quadratic about 16. (The least of five: a loaded machine
    # only adds time, and these runs take milliseconds.)
    assert t_large / max(t_small, 1e-3) < 8
    tracemalloc.start()
    lint_text(large, rules=DAMAGE)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2_000 * len(large)  # the old messages held the whole chunk each: gigabytes


# --- CIT403 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prose",
    [
        "Under the Fatimids the city grew.",
        "Later the Safavids ruled Persia.",
        "Five Viscounts attended the dinner.",
        "The Kennedys were a political family.",
        "Many Sri Lankans voted early.",
        "The symbolic constants are DONT and WONT.",
        "Its roof was repaired, and we were told well in advance.",
        "Cheap Macbooks remain popular.",  # a plural subject before its verb
    ],
)
def test_missing_apostrophe_leaves_plurals_and_words_alone(prose: str) -> None:
    text = report(summary_only(prose).split("\n")[3], [row(1, "The Fatimid and Kennedy and Viscount records.")])
    assert found(text, "CIT403") == []


def test_missing_apostrophe_finds_contractions_and_possessives() -> None:
    text = summary_only(
        "I think im right and ive said so; youd agree, and hed too. Heres why: everyones plans failed, "
        "the countrys economy shrank, his wifes job went, and the childrens school closed."
    )
    assert tokens(text, "CIT403") == ["im", "ive", "youd", "hed", "Heres", "everyones", "countrys", "wifes", "childrens"]
    messages = [f.message for f in found(text, "CIT403")]
    assert "'im' looks like 'I'm' (a missing apostrophe)" in messages
    assert "'childrens' looks like 'children's' (a missing apostrophe)" in messages


def test_a_surname_before_a_verb_of_the_past_is_a_subject() -> None:
    # "Kons abstained from": a verb and its preposition, which follow a subject, never a
    # possessive; a participle before its noun still reads as a possessive's noun.
    text = summary_only(
        "Labor backbencher Steven Kons abstained from voting on the bill. "
        "With Argentinas discredited economy minister gone, the markets rose."
    )
    assert tokens(text, "CIT403") == ["Argentinas"]


def test_possessives_whose_form_can_be_no_plural() -> None:
    text = summary_only(
        "Iran agreed. The deal limits Irans provision of drones. His Majestys ships sailed, "
        "and the Universitys school and the policemans car were seen. Ukraines most important exports fell."
    )
    assert tokens(text, "CIT403") == ["Irans", "Majestys", "Universitys", "policemans", "Ukraines"]


def test_name_possessives_before_and_a_capital_or_a_singular_verb() -> None:
    text = summary_only(
        "Russia and Ukraine talked. The war is detrimental to Russias and its citizens future. "
        "Exports came first. Russias invasion cut them. Moldova is tied to Ukraines has grid. "
        "However, Russias UN ambassador said so. Obama spoke; the Obamas and the Kennedys left. Obamas and Bidens met."
    )
    assert tokens(text, "CIT403") == ["Russias", "Russias", "Ukraines", "Russias"]


def test_acronym_possessives_and_names_whose_s_form_texts_hardly_write() -> None:
    text = summary_only(
        "Troops moved to NATOs eastern flank, and IBMs new machine shipped. Many PCs and CPUs "
        "failed; NGOs helped. It is from Tolkiens fantasy epic; the Fatimids ruled. It broke by Hanlons Razor, "
        "and the Kennedys Foundation paid."
    )
    assert tokens(text, "CIT403") == ["NATOs", "IBMs", "Tolkiens", "Hanlons"]


def test_a_name_whose_s_form_the_web_writes_is_no_possessive_without_the_name_alone() -> None:
    # "Tates" is written on the web within 2 zipf of "Tate" (a brand, a family): read as
    # "Tate's" it was a false alarm; "Tolkiens" is written far more rarely than "Tolkien".
    assert tokens(summary_only("The store stocked Tates compasses then."), "CIT403") == []
    assert tokens(summary_only("The store stocked Tolkiens novels then."), "CIT403") == ["Tolkiens"]
    # With the name alone in the document it is read as the name's, however often written.
    assert tokens(summary_only("Tate built them. The store stocked Tates compasses then."), "CIT403") == ["Tates"]


def test_a_name_s_form_before_a_verb_wordnet_knows_as_nothing_else_is_a_plural_subject(monkeypatch: pytest.MonkeyPatch) -> None:
    # "consist" and "convey" are verbs only: the subject before them is a plural, whatever
    # the bigram counts say. "link" is a noun too, so "Ethernets link" is still read.
    from citelint import verbs

    assert {"consist", "convey", "include"} <= verbs.verb_only() and "link" not in verbs.verb_only()
    text = summary_only("Older Playstations consist of a box and a pad. New Playstations link to it.")
    assert tokens(text, "CIT403") == ["Playstations"]
    assert found(text, "CIT403")[0].col > text.split("\n")[3].index("New")
    # Without the list the first was a possessive ("Playstation's consist"): the test's point.
    monkeypatch.setattr(verbs, "verb_only", lambda: frozenset())
    assert tokens(text, "CIT403") == ["Playstations", "Playstations"]


def test_a_missing_verb_list_is_an_error_not_wrong_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from citelint import lexicon, verbs

    for content in (None, "", "# only a comment\n", "caf\u00e9\n"):
        path = tmp_path / "verbs.txt"
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(content, encoding="utf-8")
        monkeypatch.setattr(verbs, "PATH", str(path))
        verbs.verb_only.cache_clear()
        with pytest.raises(lexicon.LexiconError, match="reinstall"):
            verbs.verb_only()
    verbs.verb_only.cache_clear()


def test_the_shipped_verb_list_is_what_its_build_script_makes(tmp_path: Path) -> None:
    if not Path("/usr/share/wordnet/index.verb").exists():
        pytest.skip("WordNet (Debian's wordnet-base) is not installed")
    out = tmp_path / "verbs.txt"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_verbs.py"), "--out", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == (ROOT / "citelint" / "data" / "verbs.txt").read_bytes()


def test_a_name_possessive_is_an_unsafe_fix_and_dont_a_safe_one() -> None:
    text = summary_only("Russia said so. We dont know the details of Russias plan.")
    fixes = {f.message.split("'")[1]: f.fix for f in found(text, "CIT403")}
    assert fixes["dont"] is not None and fixes["dont"].applicability is Applicability.SAFE
    assert fixes["Russias"] is not None and fixes["Russias"].applicability is Applicability.UNSAFE


# --- CIT401 -------------------------------------------------------------------------------


def test_merged_words_title_phrases_and_sentence_starts() -> None:
    text = summary_only("Troops reached the UnitedStates border. Thereis no doubt. Agraduate spoke to the TradeAssociation.")
    assert tokens(text, "CIT401") == ["UnitedStates", "Thereis", "Agraduate", "TradeAssociation"]


def test_merged_words_new_kinds() -> None:
    text = summary_only(
        "We think itis over and ought tobe done. Officials in Washingtonand elsewhere agreed. "
        "Theinquiry found the fivedeputy ministers had left the royalcommission early. "
        "But Foreign Ministry spokespersonMaria Zakharova said no. Idid not know it was agood idea "
        "to buy abig house. Calm gave way ofdejection and thelogician wept."
    )
    assert tokens(text, "CIT401") == [
        "itis", "tobe", "Washingtonand", "Theinquiry", "fivedeputy", "royalcommission", "spokespersonMaria",
        "Idid", "agood", "abig", "ofdejection", "thelogician",
    ]


# Plain prose of our own, long enough (over 100 words) for a document without any merge of
# a function word to read as clean.
_CLEAN_PROSE = " ".join(
    f"In week {n} the regional council met again to discuss the budget for roads, schools and "
    "water, and the members agreed to publish their report before the end of the month."
    for n in range(1, 9)
)


def test_capitalised_merges_of_a_derived_word_or_a_short_common_word() -> None:
    text = summary_only(
        "Theset of rules changed. Implementedin 1999, the tool spread. Encodedas text, it was sent. "
        "Peterson and Masterson met Ms Dalton."
    )
    assert tokens(text, "CIT401") == ["Theset", "Implementedin", "Encodedas"]


def test_a_word_the_document_writes_alone_glued_to_a_function_word() -> None:
    glued = "Write adocstring for each, and keep the docstringof the module short."
    # "docstring" is in no word list: only the document shows it is a word.
    assert tokens(summary_only(glued), "CIT401") == []
    text = summary_only("A docstring documents a module. " + glued + " After the check, a checkin and a timeout of some time wait.")
    assert tokens(text, "CIT401") == ["adocstring", "docstringof"]


def test_no_derivation_of_a_stem_nobody_uses() -> None:
    # "akin" + "d", "astr" + "ing", "thebe" + "st" are no derivations; "moved" and the plural
    # of a rare dictionary noun are.
    text = summary_only("It was akind gesture, astring of words; thebest part was the moved table and grainfields.")
    assert tokens(text, "CIT401") == ["akind", "astring", "thebest"]
    # A verb form or an adverb never starts a compound: glued to a short content word it is a
    # merge even with no bigram count behind the pair.
    text = summary_only("They kept representinglife as it was, and the speedboat left.")
    assert tokens(text, "CIT401") == ["representinglife"]
    # "a" before a common word of three letters, a pair the bigram counts know.
    assert tokens(summary_only("It was awar of words; abox of tools sat atop a shelf."), "CIT401") == ["awar", "abox"]
    # Adverbs and "like" glue on as function words do; "childlike" is a derivation.
    text = summary_only("They likepraise, and oncemake a plan; the childlike joy, nevermore.")
    assert tokens(text, "CIT401") == ["likepraise", "oncemake"]
    # A plural noun before a verb is a subject and its verb; before a noun, perhaps a compound.
    assert tokens(summary_only("The operationssee no change; a techspeak term."), "CIT401") == ["operationssee"]
    # A prefix that is a word, before a word the bigram counts write after it.
    text = summary_only("They did it overagain, and the overtired staff would underfund nothing.")
    assert tokens(text, "CIT401") == ["overagain"]


def test_two_capitalised_words_the_document_writes_apart() -> None:
    text = summary_only("A line by Oliver Goldsmith. Later OliverGoldsmith wrote more, and WordPerfect sold well.")
    assert tokens(text, "CIT401") == ["OliverGoldsmith"]
    assert tokens(summary_only("Later OliverGoldsmith wrote more."), "CIT401") == []


def test_a_compound_alone_in_long_clean_prose_is_left_alone() -> None:
    compound = " Later the royalcommission met in the capital."
    assert tokens(summary_only(_CLEAN_PROSE + compound), "CIT401") == []
    # A short document says too little: the merge is reported as before.
    assert tokens(summary_only(compound.strip()), "CIT401") == ["royalcommission"]
    # A function word glued on elsewhere shows the document is damaged.
    damaged = _CLEAN_PROSE.replace("and the members", "andthe members", 1) + compound
    assert tokens(summary_only(damaged), "CIT401") == ["andthe", "royalcommission"]
    # A verb form, a plural or a word before a name is no first part of a compound.
    lone = " Drones kept targetingcritical sites; the spokespersonMaria Zakharova spoke of the pipelinesNord Stream. Nord Stream was shut."
    assert tokens(summary_only(_CLEAN_PROSE + lone), "CIT401") == ["targetingcritical", "spokespersonMaria", "pipelinesNord"]


def test_a_pair_no_count_backs_is_a_term_in_long_clean_prose() -> None:
    # Documentation names packages, settings and terms written solid: two dictionary words
    # the bigram counts never put side by side, in prose showing no other damage.
    terms = " Other packages (accountsservice, cups) do it; vectorborne diseases are rare."
    assert tokens(summary_only(_CLEAN_PROSE + terms), "CIT401") == []
    # A verb where no compound has one still reads as a lost space.
    verbs = " The moduledefines a class; the scientistsengaged in it agreed."
    assert tokens(summary_only(_CLEAN_PROSE + verbs), "CIT401") == ["moduledefines", "scientistsengaged"]
    # A short document says too little: the merge is reported as before.
    assert tokens(summary_only(terms.strip()), "CIT401") == ["accountsservice", "vectorborne"]
    # So is one where a function word is glued on elsewhere.
    damaged = _CLEAN_PROSE.replace("and the members", "andthe members", 1) + terms
    assert tokens(summary_only(damaged), "CIT401") == ["andthe", "accountsservice", "vectorborne"]


def test_a_foreign_phrase_opening_a_paragraph_is_judged_on_as_many_words() -> None:
    assert tokens(summary_only("Honi soit qui mal y pense. So the motto goes."), "CIT401") == []
    # A merge opening an English paragraph stands among English words.
    assert tokens(summary_only("andmore people came to the hall to hear him."), "CIT401") == ["andmore"]


def test_a_word_cut_by_the_foreign_window_is_no_word_of_it() -> None:
    from citelint.checks.damage import FOREIGN_REACH, _among_foreign_words, _detector

    foreign = "quiquiquiquiquiquiquiqui malmalmalmalmalmalmalmal "
    # "elephantine" is cut at the window's reach: "ephantine" is no foreign word.
    cut = "an elephantine " + foreign + "andmore went to the hall"
    at = cut.index("andmore")
    assert cut[at - FOREIGN_REACH - 1 : at - FOREIGN_REACH + 1] == "le"
    assert not _among_foreign_words(cut, at, at + 7, _detector({}))
    whole = "an phantine " + foreign + "andmore went to the hall"
    at = whole.index("andmore")
    assert _among_foreign_words(whole, at, at + 7, _detector({}))


def test_a_letter_outside_ascii_is_part_of_the_name() -> None:
    # "Genetōr" holds no name "Genet": "Genetor" is the same name written in ASCII, not
    # "Genet" glued to "or".
    prose = _CLEAN_PROSE + " The god was called Genetor (*Genet\u014dr*, ancestor)."
    assert tokens(summary_only(prose), "CIT401") == []
    # Written alone, the name still marks its glued form ("Genetor" beside "Genet").
    assert tokens(summary_only(prose.replace("(*Genet\u014dr*", "(*Genet*")), "CIT401") == ["Genetor"]


@pytest.mark.parametrize(
    "prose",
    [
        'The German word "autismus" was used first.',
        "He called it \u201cdestructionis,\u201d a Latin form.",
        "The Python name \"bytearray\" names a type.",
        "The film BeingThere opened in 1979.",
        "The Nuristanis live in the east; the Zanzibaris in the west.",
        "A camelCased name, in camelCased style.",
        "Use `andmore` as the key.",
        "The lookbehind is fast; a lookbehind needs a fixed width; every lookbehind is checked.",
        "A fallthrough (or fall-through) is allowed.",
        "See {careware} and {backward combatability}.",
        "Call `bytearray(b)`; a bytearray is mutable.",
        "The TurtleScreen class and the ConcurrentSmalltalk language.",
        "The example needs a mailserver; an internal classmethod builds it.",
        "Any message which is crossposted (see cross-post) is read twice.",
        "He said: on a tous un peu peur de l'amour.",
        "Ivan met Irene in Iraq; Ipad sales rose, and Aman came.",
        "\u2502&\u2502 Common: ampersand; bitand; and. \u2502",
    ],
)
def test_merged_words_leaves_discussed_words_names_and_terms_alone(prose: str) -> None:
    assert found(summary_only(prose), "CIT401") == []


# --- CIT404 -------------------------------------------------------------------------------


def test_three_words_run_together_are_split_twice_where_the_middle_is_a_name_the_document_writes() -> None:
    # "ofMelitopolover" is "of" + "Melitopol" + "over": the fix must name all three words, or
    # it leaves "Melitopolover", which no later run reports. Only where the name stands
    # alone elsewhere and the whole part is no word or name the lexicon knows.
    text = summary_only(
        "Forces struck the city ofMelitopolover the weekend, near theZaporizhzhianuclear plant. "
        "Melitopol and Zaporizhzhia were calm. They flew toKyivin May; Kyiv was cold."
    )
    assert [f.message.split("'")[3] for f in found(text, "CIT401")] == [
        "of Melitopol over",
        "the Zaporizhzhia nuclear",
        "to Kyiv in",
    ]
    assert "the city of Melitopol over the weekend, near the Zaporizhzhia nuclear plant" in fix_all(text, ("CIT401",))
    # Without the name alone in the document, the second part stays whole.
    alone = summary_only("Forces struck the city ofMelitopolover the weekend.")
    assert [f.message.split("'")[3] for f in found(alone, "CIT401")] == ["of Melitopolover"]


def test_lost_letters_from_the_document_and_the_word_list() -> None:
    text = summary_only("President Erdoğan spoke. Later Erdoan met officials in Trkiye and in Kasmpasa. Gdel agreed.")
    assert [f.message for f in found(text, "CIT404")] == [
        "'Erdoan' looks like 'Erdoğan' with its letters lost in a conversion (as the document writes it elsewhere)",
        "'Trkiye' looks like 'Türkiye' with its letters lost in a conversion (a known word)",
        "'Kasmpasa' looks like 'Kasımpaşa' with its letters lost in a conversion (a known word)",
        "'Gdel' looks like 'Gödel' with its letters lost in a conversion (a known word)",
    ]


def test_lost_letters_leave_urls_alone_and_their_fixes_never_touch_a_link() -> None:
    # The prose and a link's text are read; the addresses are not (a repair there would
    # break the link), however the URL is written.
    text = summary_only(
        "President Erdoğan spoke in Trkiye (https://example.org/Trkiye/Erdoan), see "
        "[Erdoan](https://example.org/Erdoan-wins) and <https://example.org/Erdoan> or www.example.org/Trkiye."
    )
    assert tokens(text, "CIT404") == ["Trkiye", "Erdoan"]
    fixed = fix_all(text, ("CIT404",))
    assert "in Türkiye (https://example.org/Trkiye/Erdoan)" in fixed
    assert "[Erdoğan](https://example.org/Erdoan-wins) and <https://example.org/Erdoan> or www.example.org/Trkiye." in fixed


def test_mojibake_names_what_the_bytes_were() -> None:
    text = summary_only("The cafÃ© opened â€” it said â€œwelcomeâ€\u009d.")
    assert [f.message.split(" looks like ")[1].split("'")[1] for f in found(text, "CIT404")] == ["é", "—", "“", "”"]


@pytest.mark.parametrize(
    "prose",
    [
        "Kurt Godel and Erwin Schrodinger were both at the meeting.",  # spellings, not damage
        "The RISC design and the Prolog language came later; HLLs spread.",
        "Use `Trkiye` as the key.",
        "A café in Zürich, naïve but fine, Ã.",
        "The area is 5 \u00d7\u00a010 metres.",  # a multiplication, not "נ"
    ],
)
def test_lost_letters_leaves_spellings_and_code_alone(prose: str) -> None:
    assert found(summary_only(prose), "CIT404") == []


def test_a_document_that_lost_letters_has_its_rarer_names_and_lower_case_words_read_too() -> None:
    # "Trkiye" is reported on its own; then the rarer "Rodol" (from the loose list: no
    # original, no fix) and the lower-case "rsums" (from the word list) are too; "avuolu"
    # lost its capital after a first name, where one stood (a name's first letter).
    text = summary_only("In Trkiye, Rodol met Mevlut avuolu; their rsums were read.")
    hits = found(text, "CIT404")
    assert tokens(text, "CIT404") == ["Trkiye", "Rodol", "avuolu", "rsums"]
    assert [f.fix is not None for f in hits] == [True, False, False, True]
    assert "the original is not known" in hits[1].message
    assert "lost its first letter" in hits[2].message
    assert "'résumés'" in hits[3].message
    # Where no capital stood, a lower-case word only the loose list knows is left alone,
    # even here ("expr": an identifier, in the tuning part). A name that lost its first
    # letter is read anywhere in such a document ("of avuolu"), but an English word's
    # plural is not ("dicts" is also the French "édictés" with its "é" lost).
    text = summary_only("In Trkiye, the dicts and expr of avuolu were read.")
    assert tokens(text, "CIT404") == ["Trkiye", "avuolu"]


def test_one_letter_of_mojibake_quoted_alone_is_being_discussed() -> None:
    text = summary_only("Accents show as characters like “Ã©” or Ã¨ when a cafÃ© menu is read as Latin-1 â€” fix it.")
    assert [f.message.split("'")[1] for f in found(text, "CIT404")] == ["Ã©", "â€”"]


def test_a_word_before_an_accent_written_in_ascii_has_its_letters() -> None:
    text = summary_only("As H. Poincar'e wrote (Poincar\\'e in TeX, Poincar'\be on a terminal), Trkiye's president Erdoan's party won.")
    assert tokens(text, "CIT404") == ["Trkiye", "Erdoan"]


def test_names_only_the_loose_list_knows_show_lost_letters_two_at_a_time_or_by_their_shape() -> None:
    # No word of the map and no right spelling in the document: three distinct names of the
    # loose list are lost letters; one alone only when no name is written so ("Lwis" for
    # "Löwis" begins with "Lw"); one that reads as a name ("Lumir") is left alone.
    assert tokens(summary_only("Rodol met Matja in Sarand last year."), "CIT404") == ["Rodol", "Matja", "Sarand"]
    assert tokens(summary_only("Patches by Martin von Lwis were merged."), "CIT404") == ["Lwis"]
    assert found(summary_only("Rodol met the mayor last year."), "CIT404") == []
    assert found(summary_only("Rodol met Matja last year."), "CIT404") == []
    # Even in a document that lost letters, a rare name no list knows is not read by its
    # shape alone: most such names are written right ("Michlmayr").
    assert tokens(summary_only("In Trkiye, Michlmayr and Ankara were named."), "CIT404") == ["Trkiye"]


def test_a_capitalised_name_is_no_form_of_a_name_that_lost_its_first_letter() -> None:
    # A conversion that deletes a first letter leaves the next one in lower case ("Šarika"
    # -> "arika", "Łukasz" -> "ukasz"): in a document that lost letters, the names "Arika",
    # "Aban" and "Rodda" are written right, and so is a capitalised "Ukasz".
    text = summary_only("In Trkiye, the painter Arika met Aban Rodda.")
    assert tokens(text, "CIT404") == ["Trkiye"]
    text = summary_only("The release was managed by ukasz Langa and Ned Deily. Then Ukasz left.")
    assert tokens(text, "CIT404") == ["ukasz"]


def test_a_listed_name_whose_damaged_form_is_a_word_of_another_language_is_still_read() -> None:
    # iso-codes' Albanian places: "Vlor" (Vlorë) is a Dutch word, "Kuks" (Kukës) a Latvian
    # one; neither is English, so beside other damage they are lost letters, and three such
    # names together show it on their own.
    text = summary_only("In Trkiye and Albania, officials from Vlor and Kuks met.")
    assert tokens(text, "CIT404") == ["Trkiye", "Vlor", "Kuks"]
    text = summary_only("Ferries from Vlor reached Sarand; the road to Kuks was closed.")
    assert tokens(text, "CIT404") == ["Vlor", "Sarand", "Kuks"]
    # One such name alone, with no other damage, is a name.
    assert found(summary_only("The Vlor family ran the bakery on the square."), "CIT404") == []
    # An English name and an "s" is a plural or a possessive without its apostrophe, not
    # iso-codes' Albanian "Finlandës" damaged.
    assert tokens(summary_only("In Trkiye, Finlands bid was discussed."), "CIT404") == ["Trkiye"]


def test_a_listed_first_name_that_is_a_french_word_once_its_capital_is_lost() -> None:
    # Faker's "Étienne" loses its "É": "tienne" is a French word, not an English one, so it
    # is still read where a capital stood (before a surname), and only there.
    text = summary_only("The talk was given by tienne Balibar and Ned Deily.")
    assert tokens(text, "CIT404") == ["tienne"]
    assert found(summary_only("He wrote that it must hold: qu'il tienne sa promesse."), "CIT404") == []


def test_a_listed_name_that_lost_half_its_letters_is_still_a_lost_letters_name() -> None:
    # iso-codes' Azerbaijani places lose three of seven or eight letters ("Gədəbəy" ->
    # "Gdby", "Kəlbəcər" -> "Klbcr"): still forms of a listed name, found beside other
    # damage and, with no vowel left, on their own.
    assert tokens(summary_only("In Trkiye, Gdby and Ankara were named."), "CIT404") == ["Trkiye", "Gdby"]
    assert tokens(summary_only("Officials met in Ganja and Klbcr last week."), "CIT404") == ["Klbcr"]


@pytest.mark.parametrize(
    "prose",
    [
        "Rodol met Mevlut; their rsums were read.",  # no other lost letters
        "Rodol met the press in Ankara; the lparen token is rare.",
    ],
)
def test_rarer_forms_need_other_lost_letters_in_the_same_document(prose: str) -> None:
    assert found(summary_only(prose), "CIT404") == []


def test_a_place_that_lost_its_first_letter_is_read_anywhere_in_a_damaged_document() -> None:
    # Turkish and Azerbaijani places lose their first letter ("Üsküdar" -> "skdar",
    # "Şəmkir" -> "mkir"): after "in" or in a list no capital stood where the rule looks for
    # one, but beside other lost letters ("Trkiye") they are read; with no other damage
    # they are lower-case words like any other.
    text = summary_only("Officials from Trkiye toured skdar, mkir and the port last week.")
    assert tokens(text, "CIT404") == ["Trkiye", "skdar", "mkir"]
    assert found(summary_only("Officials toured skdar, mkir and the port last week."), "CIT404") == []


def test_a_first_name_that_lost_its_capital_before_a_surname() -> None:
    text = summary_only("The release was managed by ukasz Langa and Ned Deily.")
    hits = found(text, "CIT404")
    assert tokens(text, "CIT404") == ["ukasz"]
    assert hits[0].fix is None and "lost its first letter" in hits[0].message
    # Not before a capitalised word that is a word ("trunc Closes: #1"), nor elsewhere.
    assert found(summary_only("It warns on append with trunc Closes: #373736."), "CIT404") == []
    assert found(summary_only("The release was managed by ukasz and Ned Deily."), "CIT404") == []
    # After a first name, where the surname's capital stood ("Mevlut avuolu"); not after a
    # capitalised word that is a word ("Minister avuolu" could be either).
    assert tokens(summary_only("Talks were led by Mevlut avuolu and Ned Price."), "CIT404") == ["avuolu"]
    assert found(summary_only("Talks were led by Minister avuolu and Ned Price."), "CIT404") == []
    # At the start of a sentence, where its capital stood, it shows the document lost
    # letters: the rarer name beside it is read too.
    text = summary_only("The minister Mevlt spoke. avuolu blamed the government.")
    assert tokens(text, "CIT404") == ["Mevlt", "avuolu"]
    assert found(summary_only("The minister Mevlt spoke and avuolu blamed the government."), "CIT404") == []


def test_the_loose_list_is_opened_only_when_a_word_may_need_it(tmp_path: Path) -> None:
    # Common words and names only: nothing to look up. A rare name ("Mevlut") may be one
    # that lost letters, so the loose list is read for it.
    clean = summary_only("The minister met the mayor in Ankara; Paris wrote the note.")
    damaged = summary_only("In Trkiye, Rodol met Mevlut avuolu.")
    probe = (
        "import sys\n"
        "from citelint import lostletters\n"
        "from citelint.api import lint_text\n"
        "from citelint.checks.damage import lost_letters\n"
        "lint_text(sys.argv[1], rules=[lost_letters])\n"
        "print(hasattr(lostletters._LOCAL, 'loose'))\n"
    )
    rare = summary_only("Rodol met Mevlut in Ankara; Zbigniew wrote the note.")
    for text, loaded in ((clean, "False"), (damaged, "True"), (rare, "True")):
        out = subprocess.run([sys.executable, "-c", probe, text], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == loaded


# --- fixes keep claims verbatim quotes of their contexts -----------------------------------


def test_fixes_repair_claim_and_context_together() -> None:
    claim = "Officials in Trkiye saidthe talks dont matter,but Erdoan disagreed."
    context = f"Erdoğan spoke first. {claim} Nobody else did."
    text = report("Officials spoke <font color=#FF3399>[1]</font>.", [row(1, claim, context)])
    fixed = fix_all(text)
    assert "Officials in Türkiye said the talks don't matter, but Erdoğan disagreed." in fixed
    assert fixed.count("Officials in Türkiye said the talks don't matter, but Erdoğan disagreed.") == 2
    left = [f for f in lint_text(fixed) if f.code.startswith(("CIT3", "CIT40"))]
    assert left == []


def test_a_claim_that_is_no_exact_quote_gets_the_word_repaired_where_it_stands_once() -> None:
    claim = "The ferry stoppedrunning in March."
    context = "Passengers were told. The ferry had stoppedrunning in March, they said."
    text = report("It stopped <font color=#FF3399>[1]</font>.", [row(1, claim, context)])
    assert fix_all(text).count("stopped running") == 2


# --- rule pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["CIT401", "CIT402", "CIT403", "CIT404"])
def test_page_fixed_example_is_what_the_fixes_make(code: str) -> None:
    page = (ROOT / "rules" / f"{code}.md").read_text(encoding="utf-8")
    bad, fixed = re.findall(r"```markdown\n(.*?)```", page, re.S)
    assert fix_all(bad, (code,)) == fixed
    assert "## Fix\n" in page


def _benchmark() -> ModuleType:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location("damage_benchmark", ROOT / "benchmarks" / "damage.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def test_rule_pages_quote_the_benchmark_results() -> None:
    bench = _benchmark()
    results = json.loads(bench.RESULTS.read_text())
    for code, lines in bench.render(results).items():
        page = (ROOT / "rules" / f"{code}.md").read_text(encoding="utf-8")
        assert bench.page_block(lines) in page, f"{code}.md: run python benchmarks/damage.py --write"


def test_a_finding_on_damage_the_clean_prose_itself_has_is_counted_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A finding on a typo the source really has is right: the benchmark counts it, and then
    # the rule's own errors without it, once a reader has listed it.
    bench = _benchmark()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import prose
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from citelint.registry import load_rules

    rules = [r for r in load_rules() if r.code in bench.RULES]
    doc = prose.Doc("sample", "caves#1", ("The passage has exits on the east and west sidesof the chamber, and a pool.",))
    listed = tmp_path / "errors.tsv"
    listed.write_text("# a comment\n\nsample\tcaves#1\tCIT401\tsidesof\ttwo words run together\n", encoding="utf-8")
    monkeypatch.setattr(bench, "SOURCE_ERRORS", listed)
    judged = bench.false_alarms([doc], rules, False)
    assert judged["findings"]["CIT401"] == 1
    assert judged["source_damage"]["CIT401"] == 1 and judged["rule_errors_per_10k"]["CIT401"] == 0.0
    assert "the rule's own errors are 0.0" in bench.render({**_stored_result(bench), "false_alarms": judged})["CIT401"][1]
    listed.write_text("other\tcaves#1\tCIT401\tsidesof\tanother source's document\n", encoding="utf-8")
    unjudged = bench.false_alarms([doc], rules, False)
    assert unjudged["source_damage"]["CIT401"] == 0 and unjudged["rule_errors_per_10k"]["CIT401"] > 0
    listed.write_text("sample\tcaves#1\tCIT401\tsidesof\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"errors.tsv:1: expected source"):
        bench.source_errors()


def _stored_result(bench: ModuleType) -> dict[str, object]:
    stored: dict[str, object] = json.loads(bench.RESULTS.read_text())
    return stored


def test_each_listed_source_error_stands_in_its_document() -> None:
    # The list of right findings is kept honest: each entry's text is in the document it
    # names, in a source installed here (skipped for the others), and names damage of its
    # rule's kind.
    bench = _benchmark()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import prose
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    listed = bench.source_errors()
    assert listed
    shapes = {"CIT401": r"[A-Za-z]+", "CIT402": r".*\w[,.;:!?]\w.*", "CIT403": r"\w+", "CIT404": r"\w+"}
    for (_, _, code, text), why in listed.items():
        assert re.fullmatch(shapes[code], text) and text in why, (code, text)
    loaders = {**prose.loaders(), **prose._extra_loaders()}
    checked = 0
    for source in sorted({key[0] for key in listed}):
        docs = {d.name: d for d in loaders[source]()}
        if not docs:
            continue
        for (src, name, _, text) in listed:
            if src == source:
                assert any(text in para.split() or text in para for para in docs[name].paragraphs), (source, name, text)
                checked += 1
    if not checked:
        pytest.skip("none of the listed sources is installed here")


def test_perl_manual_escapes_give_the_benchmark_their_letters() -> None:
    # POD writes letters outside ASCII as escapes; dropping them deleted letters from the
    # manual's names ("KE<0xf6>nig" read "Knig") and CIT404 was charged with lost letters
    # the manual does not have.
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import prose
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    para = "Andreas KE<0xf6>nig, SE<eacute>bastien, E<AElig>var, E<246>, E<0366>, a E<lt>tagE<gt> and E<bogus>."
    assert prose._pod_text(para) == "Andreas K\u00f6nig, S\u00e9bastien, \u00c6var, \u00f6, \u00f6, a <tag> and ."


def test_news_pages_give_the_benchmark_their_article_prose_only() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import prose
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    page = "\n".join(
        [
            "Council votes to close the old harbour bridge",  # a headline
            "By Jane Example, Staff Writer",  # a byline
            "The council voted on Tuesday to close the old harbour bridge to cars from next month.",
            "- Read more: five things to know about the new ferry timetable and fares.",  # links
            "Photo: the bridge at dusk, seen from the northern shore of the harbour.",  # a caption
            "\u00c9l consejo vot\u00f3 cerrar el puente viejo del puerto a los coches.",  # not English
            "\"It was time,\" said the mayor, who has argued for the closure since 2019.",
            "Reporter Sam Example contributed to this report.",
        ]
    )
    assert prose._article_paragraphs(page) == [
        "The council voted on Tuesday to close the old harbour bridge to cars from next month.",
        "\"It was time,\" said the mayor, who has argued for the closure since 2019.",
    ]


def test_a_damaged_document_is_read_harder_for_capitalised_merges_and_names() -> None:
    names = "Oliver wrote to Goldsmith about the plan."
    # Clean: a title-case pair is a camel-case name or a brand, left alone.
    assert tokens(summary_only(names + " OliverGoldsmith wrote it."), "CIT401") == []
    # Damaged elsewhere (two merges of a function word): the same pair is a lost space.
    damaged = names + " The report andmore came ofIran. OliverGoldsmith wrote it."
    assert tokens(summary_only(damaged), "CIT401") == ["andmore", "ofIran", "OliverGoldsmith"]


def test_a_capitalised_token_written_twice_is_a_name() -> None:
    once = "The company Traveland cut jobs."
    assert tokens(summary_only(once), "CIT401") == ["Traveland"]
    twice = once + " Traveland said more would go."
    assert tokens(summary_only(twice), "CIT401") == []


def test_words_of_an_italic_phrase_are_spelt_as_meant() -> None:
    text = summary_only("The army (Portuguese: *Forças Armadas Angolanas*) and a *villa suburbana* stood. Yet andmore is damage.")
    assert tokens(text, "CIT401") == ["andmore"]
    # Outside the italics the same token is judged.
    assert tokens(summary_only("The villa suburbana stood."), "CIT401") == ["suburbana"]


@pytest.mark.parametrize(
    "prose",
    [
        "The declaration \u201cmemchr(const void*,int,unsigned int)\u201d is mangled.",
        "Windows associates the extension with a file type (Python.File) and opens it.",
    ],
)
def test_missing_space_leaves_code_in_brackets_alone(prose: str) -> None:
    assert found(summary_only(prose), "CIT402") == []


def test_missing_space_still_found_beside_prose_brackets() -> None:
    assert tokens(summary_only("The war (in the east) spread to Sindh,Balochistan and more."), "CIT402") == [","]


def test_the_plural_of_a_name_from_the_code_is_no_merge() -> None:
    text = summary_only("The `carkey` module reads carkeys, and andmore is damage.")
    assert tokens(text, "CIT401") == ["andmore"]


# --- clean documentation and news: what a lost space cannot explain ------------------------


@pytest.mark.parametrize(
    ("prose", "merged"),
    [
        # "Or" with a capital after a word is a name ("Jon Orwant"), not "or want"; at a
        # sentence's start the same shape is damage.
        ("The essay appears courtesy of Jon Orwant and the journal. Thebudget was cut.", ["Thebudget"]),
        # "virtualhost" is written solid on the web: its plural is that word, not "virtual hosts".
        ("Name-based virtualhosts share one address, and andmore is damage.", ["andmore"]),
        # Two content words alone in brackets are a term being named; a function word glued
        # on in brackets is still damage.
        ("The library uses slight hinting (hintslight) by default (andmore) here.", ["andmore"]),
        # A list whose items each open with "The maximum" loses the space each time: a
        # capitalised function word glued on is damage however often, no name.
        ("Themaximum size of the queue. Themaximum number of open files.", ["Themaximum", "Themaximum"]),
    ],
)
def test_what_clean_documentation_writes_solid_and_what_is_damage(prose: str, merged: list[str]) -> None:
    assert tokens(summary_only(prose), "CIT401") == merged


def test_a_camel_case_identifier_in_a_document_with_code_is_no_merge() -> None:
    text = summary_only("Turn off XDMCP in `/etc/X11/xdm/xdm-config` by setting the requestPort to 0 there.")
    assert tokens(text, "CIT401") == []
    # Without code the same shape is a word glued to a name, as news writes it.
    news = summary_only("The foreign ministry spokespersonMaria Zakharova said so on Friday.")
    assert tokens(news, "CIT401") == ["spokespersonMaria"]


def test_a_camel_case_identifier_in_a_damaged_document_is_read_as_damage() -> None:
    text = summary_only(
        "Set the requestPort in `xdm-config` andmore settings ofthe server. "
        "The fight went on inthe east."
    )
    assert "requestPort" in tokens(text, "CIT401")


@pytest.mark.parametrize(
    "prose",
    [
        "Edit the todo list of the rebase and save it.",
        "For the details, see the Access Control howto, which covers it.",
        "Note the absence of the soversion in the package name.",
    ],
)
def test_a_split_that_reads_as_no_english_is_no_merge(prose: str) -> None:
    assert tokens(summary_only(prose), "CIT401") == []


@pytest.mark.parametrize(
    ("prose", "merge"),
    [
        ("Details on howto write rules are in the manual.", "howto"),
        ("It had nothing todo with the war.", "todo"),
        ("They sold applesand, later, pears from the farm.", "applesand"),
        ("He did it when he hadto.", "hadto"),
        ("The quote was cut at the end ofthe...", "ofthe"),
    ],
)
def test_a_split_that_reads_as_english_is_still_a_merge(prose: str, merge: str) -> None:
    assert tokens(summary_only(prose), "CIT401") == [merge]


def test_a_term_a_clean_document_writes_in_several_places_is_no_merge() -> None:
    prose = "Rebase writes what it will do into todo files. You may reorder lines in todo files before you save them."
    assert tokens(summary_only(prose), "CIT401") == []
    # A merge written once shows the document damaged: the term is read as damage too.
    assert tokens(summary_only(prose + " It stops andmore."), "CIT401") == ["todo", "todo", "andmore"]


def test_a_term_counts_where_it_is_written_as_a_whole_word() -> None:
    # "todos" and "mytodo" are other words: "todo" is then written once, and is damage;
    # "todo_files" and "todo2" write it whole.
    prose = "Rebase writes what it will do into todo files. You may reorder lines in {} before you save them."
    assert tokens(summary_only(prose.format("the todos and mytodo files")), "CIT401") == ["todo"]
    assert tokens(summary_only(prose.format("todo_files and todo2")), "CIT401") == []


def test_damage_copied_into_several_places_is_still_damage() -> None:
    # No text writes "includinga" solid: the same damage quoted twice is damage twice.
    prose = (
        "Aid went to Ukraine, includinga new air defense system, said officials. "
        "Congress approved more for Kyiv, includinga new air defense system for the winter."
    )
    assert tokens(summary_only(prose), "CIT401") == ["includinga", "includinga"]


@pytest.mark.parametrize(
    "prose",
    [
        "Use the accessor functions to read the access rights of a result.",
        "The name is downcased unless it is quoted.",
    ],
)
def test_words_of_their_own_are_no_merges(prose: str) -> None:
    assert tokens(summary_only(prose), "CIT401") == []


@pytest.mark.parametrize(
    "prose",
    [
        "Boost.Build and bjam now ship in the main package.",
        "The scripts of installation (post,pre) and removal (post,pre) are kept.",
        "Mount it with the options (rw,noatime) set.",
        "New-style branch names are archive,category--branch--version now.",
    ],
)
def test_missing_space_leaves_dotted_names_and_bracketed_lists_alone(prose: str) -> None:
    assert found(summary_only(prose), "CIT402") == []


def test_missing_space_after_a_sentence_before_a_capitalised_word() -> None:
    text = summary_only("It was the worst moment since the Cold War.National security experts disagreed.")
    assert tokens(text, "CIT402") == ["."]


def test_a_verb_form_glued_to_a_function_word_is_no_lone_name() -> None:
    # The only merge of a long clean document, but "Used" is a verb form, not a name ("Bergerand").
    filler = " ".join(f"The ferry crossed the bay on day {i} and the crew wrote the log." for i in range(10))
    text = summary_only(filler + " Usedin winter, the old boat was slow.")
    assert tokens(text, "CIT401") == ["Usedin"]


def _manual(sentence: str, code: bool) -> str:
    # A long clean manual page (with code spans or without), and one sentence of interest.
    name = "`make check`" if code else "the checks"
    filler = " ".join(f"Step {i} of the build runs {name} again and writes a log to the output folder." for i in range(8))
    return summary_only(filler + " " + sentence)


def test_a_lone_uncounted_term_in_a_manual_is_no_merge() -> None:
    # One lowercase merge in a whole manual page that writes code, of two words the web never
    # writes side by side: a tool or an option named solid, not a lost space.
    assert tokens(_manual("Translate the comments with itstool first.", code=True), "CIT401") == []
    # The same in a report with no code is damage ("hisfaltering" in a real report) ...
    assert tokens(_manual("Translate the comments with itstool first.", code=False), "CIT401") == ["itstool"]
    # ... and so is a pair the web writes apart, even alone in a manual.
    assert tokens(_manual("Translate the comments andmore first.", code=True), "CIT401") == ["andmore"]
    # Two merges in the page: a lossy conversion went over it, the term is read as damage too.
    both = _manual("Translate the comments with itstool first, includinga few more.", code=True)
    assert tokens(both, "CIT401") == ["itstool", "includinga"]


@pytest.mark.parametrize(
    ("prose", "merged"),
    [
        # A sentence's first word glued to a dictionary word the bigram counts never saw
        # after it: the capital hides "the" from the lowercase reading.
        ("Thetilde stands for the home folder of the user.", ["Thetilde"]),
        ("Thismelds two readings of the word into one.", ["Thismelds"]),
        # Names that begin with an opener's letters are no such merge.
        ("Theroux and Thatcher met in Andover that year.", []),
    ],
)
def test_a_capitalised_opener_glued_to_a_word(prose: str, merged: list[str]) -> None:
    assert tokens(summary_only(prose), "CIT401") == merged


def test_a_capitalised_verb_form_glued_to_a_function_word_is_damage_however_often() -> None:
    # A glossary that opens each entry with "Used in" loses the space each time: no name,
    # though written twice ("Traveland" written twice is one).
    glossary = "Usedin many shells since the early days. Usedin the manual pages as well."
    assert tokens(summary_only(glossary), "CIT401") == ["Usedin", "Usedin"]
    # A verb form before a single letter makes names, written so twice.
    assert tokens(summary_only("Icinga checks the hosts. Icinga sends the reports."), "CIT401") == []


# Words that change what the damage rules decide from the whole document: a capitalised
# merge written twice is a name ("Traveland"), two content words written thrice a term
# ("bytearray"), a word in the code a name from it, a damaged form beside its original
# ("Trkiye" and "Türkiye"), names of the loose list, a first letter lost; and the names
# and compounds the document writes, which the rules ask about ("supply.Kherson" beside
# "Kherson", "Kyivand" beside "Kyiv", "fallthrough" beside "fall-through").
DECIDING = [" Traveland", " bytearray", " todo", " andmore", " ofIran", " `bytearray`", " requestPort", " Bergerand",
            " heredocs", " Themaximum", " Usedin", " (hintslight)", " Lysychanskwas", " Lysychansk", " Trkiye", " Türkiye",
            " Lwis", " Bujar", " Juhuri", " Rutul", " ukasz", " cafÃ©", " Comit", " dont", " Russias", " x` y", " ~~~",
            " Russia", " supply.Kherson", " Kherson", " Kyivand", " Kyiv", " fall-through", " fallthrough"]


def _followed_and_fresh(tmp_path: Path) -> Callable[[str], None]:
    """A server's state for one document: the returned function lints a version of it as
    the server does (following the last run) and as a fresh run does, and compares."""
    from citelint import engine, readers
    from citelint import server as lsp_server
    from citelint.registry import load_rules

    rules = load_rules()
    state = lsp_server._State(rules=rules)
    uri = (tmp_path / "report.md").as_uri()
    path = lsp_server.path_of(uri)
    state.open[uri] = lsp_server._Open()
    settings = lsp_server.settings_for(state, path)

    def lint(text: str) -> None:
        followed = lsp_server.analyse(state, uri, text).findings
        fresh = engine.check_document(readers.read(text, path), settings.rules_for(path), settings.options, settings.severity, rules)
        assert list(followed) == fresh

    return lint


_CLAIMS = [f"The harbour council met on day {i} and the ferry crews asked about the bridge." for i in range(1, 25)]


def _followed_report() -> str:
    summary = " ".join(f"{c} <font color=#FF3399>[{i}]</font>." for i, c in enumerate(_CLAIMS, 1))
    return report(summary, [row(i, c, f"Before that. {c} After that, the season went on.") for i, c in enumerate(_CLAIMS, 1)])


@pytest.mark.parametrize("pieces", [False, True])
def test_the_damage_rules_followed_from_run_to_run_find_what_a_fresh_run_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces: bool
) -> None:
    """In a server, the document-level decisions (a token's uses outside the claims, the
    code words, whether the document shows lost letters) follow the last run through the
    texts an edit changed, and the rows an edit did not reach keep what they found; after
    edits that add and remove the words those turn on, every finding is a fresh run's.
    With pieces, the summary is a long field."""
    import random

    from citelint.checks import damage

    if pieces:
        monkeypatch.setattr(damage, "PIECE_FIELD", 300)
        monkeypatch.setattr(damage, "PIECE_STOPS", 3)
    lint = _followed_and_fresh(tmp_path)
    rng = random.Random(11)
    text = _followed_report()
    for _ in range(80):
        lines = text.split("\n")
        at = rng.choice([3, *range(8, len(lines) - 1)])
        line = lines[at]
        found_words = [w for w in DECIDING if w in line]
        if found_words and rng.random() < 0.4:
            lines[at] = line.replace(rng.choice(found_words), "", 1)
        else:
            spaces = [i for i, c in enumerate(line) if c == " "] or [len(line)]
            where = rng.choice(spaces)
            lines[at] = line[:where] + rng.choice(DECIDING) + line[where:]
        text = "\n".join(lines)
        lint(text)


@pytest.mark.parametrize(
    "asked, written",
    [(" supply.Kherson", " Kherson"), (" Russias", " Russia"), (" Kyivand", " Kyiv"), (" fallthrough", " fall-through")],
)
def test_a_word_written_elsewhere_changes_what_the_rows_an_edit_did_not_reach_find(
    tmp_path: Path, asked: str, written: str
) -> None:
    """A row whose check asked about a word the document writes (a name standing alone, a
    compound with a hyphen) and found nothing is looked at again when an edit elsewhere
    writes that word, and again when it goes."""
    lint = _followed_and_fresh(tmp_path)
    lines = _followed_report().split("\n")
    lint("\n".join(lines))
    lines[10] = lines[10].replace(" asked", asked + " asked", 1)
    lint("\n".join(lines))
    before = lines[20]
    lines[20] = lines[20].replace(" bridge", written + " bridge", 1)
    lint("\n".join(lines))
    lines[20] = before
    lint("\n".join(lines))


def test_the_chunks_of_a_long_text_counted_from_the_last_one_are_its_own() -> None:
    """In a memo session a long text's chunks (its whitespace-separated words) are counted
    from the last long text's, around what the two do not share: after random edits, with
    every kind of whitespace, they are the text's own."""
    import random

    from citelint import memo
    from citelint.checks import damage

    rng = random.Random(3)
    alphabet = ["a", "b", "c", "x", ".", " ", "\n", "\t", "\u00a0", "\u2003"]
    text = "".join(rng.choice(alphabet) for _ in range(damage.PIECE_FIELD + 500))
    with memo.session():
        for _ in range(300):
            at = rng.randrange(len(text) + 1)
            cut = min(len(text), at + rng.randrange(6))
            text = text[:at] + "".join(rng.choice(alphabet) for _ in range(rng.randrange(6))) + text[cut:]
            assert damage._chunks(text) == frozenset(text.split())
