"""Mark feature wording of the offices → :class:`MarkFeature`."""

from __future__ import annotations

from fenghuo.tm.records import MarkFeature

_WORDS: dict[str, MarkFeature] = {
    "word": MarkFeature.WORD, "standard characters": MarkFeature.WORD, "merek kata": MarkFeature.WORD,
    "figurative": MarkFeature.FIGURATIVE, "device": MarkFeature.FIGURATIVE, "stylized": MarkFeature.FIGURATIVE,
    "combined": MarkFeature.COMBINED, "composite": MarkFeature.COMBINED, "mixed": MarkFeature.COMBINED,
    "word and device": MarkFeature.COMBINED, "merek kata dan lukisan": MarkFeature.COMBINED,
    "both name and logo": MarkFeature.COMBINED,
    "3d shape": MarkFeature.THREE_D, "3-d": MarkFeature.THREE_D, "three dimensional": MarkFeature.THREE_D,
    "shape": MarkFeature.THREE_D, "colour": MarkFeature.COLOUR, "color": MarkFeature.COLOUR,
    "sound": MarkFeature.SOUND, "position": MarkFeature.POSITION, "pattern": MarkFeature.PATTERN,
    "motion": MarkFeature.MOTION, "multimedia": MarkFeature.MULTIMEDIA, "hologram": MarkFeature.HOLOGRAM,
    "other": MarkFeature.OTHER,
}


def normalize_feature(value: str | None) -> MarkFeature:
    if not value:
        return MarkFeature.UNKNOWN
    v = " ".join(value.lower().replace("(", " ").replace(")", " ").split())
    if v in _WORDS:
        return _WORDS[v]
    for key in sorted(_WORDS, key=len, reverse=True):
        if key in v:
            return _WORDS[key]
    return MarkFeature.OTHER
