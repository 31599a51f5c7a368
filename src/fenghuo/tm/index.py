"""Candidate generation: an inverted index over the register so a watch never compares every pair.

Keys per register mark: character trigrams of every comparable Latin form (``latin_keys``: the
spelling itself, and for marks written in Chinese their pinyin and Cantonese spellings), whole
forms, words, a Metaphone key, and Chinese characters and character pairs — so a two-character
Chinese mark (伊利, 海信) is still found, where SQLite FTS5's trigram tokenizer finds nothing
under three characters. A query weights shared keys by rarity (IDF) and returns the best
candidates; postings are compact ``numpy`` arrays so a million marks fit comfortably in memory.
"""

from __future__ import annotations

import math
import pickle
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fenghuo.tm.records import RegisterRecord
from fenghuo.tm.similarity import WatchProfile, _metaphone
from fenghuo.tm.variants import cjk_only, compact, has_cjk, latin_keys, normalize, to_simplified

#: Keys found in more than this share of the register say nothing (like "THE" or "ING$").
MAX_DF_SHARE = 0.02
MIN_MAX_DF = 200
EXACT_BONUS = 25.0


def text_keys(text: str) -> set[str]:
    """Index keys of one mark text (used on both the register and the query side)."""
    keys: set[str] = set()
    if not text:
        return keys
    for form in latin_keys(text):
        keys.add("w:" + form)
        padded = f"^{form}$"
        keys.update("g:" + padded[i: i + 3] for i in range(len(padded) - 2))
        meta = _metaphone(form) if form.isalpha() else ""
        if len(meta) >= 2:
            keys.add("m:" + meta)
    for word in normalize(text).split():
        if len(word) >= 3 and not has_cjk(word):
            keys.add("t:" + word)
    if has_cjk(text):
        chars = to_simplified(cjk_only(text))
        keys.update("c:" + c for c in chars)
        keys.update("b:" + chars[i: i + 2] for i in range(len(chars) - 1))
    return keys


def record_texts(record: RegisterRecord) -> list[str]:
    texts = [v.text for v in record.verbal_elements]
    texts += [v.transliteration for v in record.verbal_elements if v.transliteration]
    return texts


#: A register mark that is a component of ours (QUOBE in MISJETQUOBE) shares few trigrams with a
#: long mark; querying the whole-form key of every inner substring finds it exactly.
MIN_INNER = 5
MAX_INNER_KEYS = 400


def inner_form_keys(form: str) -> set[str]:
    """``w:`` keys of the substrings of ``form`` of at least ``MIN_INNER`` letters (query side only)."""
    if len(form) <= MIN_INNER:
        return set()
    keys: set[str] = set()
    for size in range(len(form) - 1, MIN_INNER - 1, -1):
        for start in range(len(form) - size + 1):
            keys.add("w:" + form[start: start + size])
            if len(keys) >= MAX_INNER_KEYS:
                return keys
    return keys


def profile_keys(profile: WatchProfile) -> set[str]:
    keys: set[str] = set()
    for variant in profile.variants:
        keys |= text_keys(variant.text)
    for form, _variant in profile.latin:
        keys |= inner_form_keys(form)
    return keys


class PostingsView(Mapping[str, np.ndarray]):
    """Read-only ``key → positions`` view over the index's compressed rows."""

    def __init__(self, index: RegisterIndex) -> None:
        self._index = index

    def __getitem__(self, key: str) -> np.ndarray:
        slot = self._index.slots[key]
        return self._index.data[self._index.offsets[slot]: self._index.offsets[slot + 1]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index.slots)

    def __len__(self) -> int:
        return len(self._index.slots)


@dataclass
class RegisterIndex:
    """Postings per key over a register of ``size`` records, stored as compressed rows.

    Why one flat array with offsets (CSR) rather than an array per key: a million marks give
    millions of keys, and per-key arrays cost more in object headers than in data — and ship to
    Dask workers as millions of message frames. Two arrays and a ``key → slot`` dict do not.
    """

    size: int = 0
    slots: dict[str, int] = field(default_factory=dict)
    offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    data: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))

    @property
    def postings(self) -> PostingsView:
        return PostingsView(self)

    def posting(self, key: str) -> np.ndarray | None:
        slot = self.slots.get(key)
        if slot is None:
            return None
        return self.data[self.offsets[slot]: self.offsets[slot + 1]]

    @classmethod
    def build(cls, records: Iterable[RegisterRecord]) -> RegisterIndex:
        building: dict[str, array[int]] = {}
        size = 0
        for position, record in enumerate(records):
            size = position + 1
            keys: set[str] = set()
            for text in record_texts(record):
                keys |= text_keys(text)
            for key in keys:
                bucket = building.get(key)
                if bucket is None:
                    bucket = building[key] = array("I")
                bucket.append(position)
        return cls.from_postings(size, building)

    @classmethod
    def from_postings(cls, size: int, postings: Mapping[str, Sequence[int] | np.ndarray | array[int]]) -> RegisterIndex:
        slots: dict[str, int] = {}
        lengths = np.zeros(len(postings) + 1, dtype=np.int64)
        for slot, (key, values) in enumerate(postings.items()):
            slots[key] = slot
            lengths[slot + 1] = len(values)
        offsets = np.cumsum(lengths)
        data = np.empty(int(offsets[-1]), dtype=np.uint32)
        for key, values in postings.items():
            slot = slots[key]
            data[offsets[slot]: offsets[slot + 1]] = np.frombuffer(values, dtype=np.uint32) \
                if isinstance(values, array) else np.asarray(values, dtype=np.uint32)
        return cls(size, slots, offsets, data)

    @property
    def max_df(self) -> int:
        return max(MIN_MAX_DF, int(self.size * MAX_DF_SHARE))

    def candidates(self, keys: Iterable[str], limit: int = 300) -> list[int]:
        """Positions of the records sharing the most (and rarest) keys, best first."""
        arrays: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        cap = self.max_df
        for key in keys:
            posting = self.posting(key)
            if posting is None:
                continue
            df = len(posting)
            exact = key.startswith(("w:", "t:", "b:"))
            if df > cap and not exact:
                continue
            weight = math.log(1 + self.size / df) + (EXACT_BONUS if exact and df <= cap else 0.0)
            arrays.append(posting)
            weights.append(np.full(df, weight, dtype=np.float32))
        if not arrays:
            return []
        ids = np.concatenate(arrays)
        w = np.concatenate(weights)
        unique, inverse = np.unique(ids, return_inverse=True)
        scores = np.bincount(inverse, weights=w)
        top = np.argpartition(-scores, limit)[:limit] if len(unique) > limit else np.arange(len(unique))
        order = top[np.lexsort((unique[top], -scores[top]))]
        return [int(unique[i]) for i in order]

    def query(self, profile: WatchProfile, limit: int = 300) -> list[int]:
        return self.candidates(profile_keys(profile), limit)

    def save(self, path: Path) -> None:
        with path.open("wb") as fh:
            pickle.dump((self.size, self.slots, self.offsets, self.data), fh, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: Path) -> RegisterIndex:
        with path.open("rb") as fh:
            size, slots, offsets, data = pickle.load(fh)  # noqa: S301 - our own cache file
        return cls(size, slots, offsets, data)


def build_index(records: Sequence[RegisterRecord]) -> RegisterIndex:
    return RegisterIndex.build(records)


__all__ = ["PostingsView", "RegisterIndex", "build_index", "compact", "profile_keys", "record_texts", "text_keys"]
