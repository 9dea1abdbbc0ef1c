"""Matching a claim's words against the wording of knowledge-base records.

A claim's ``text`` matches a record when every one of its words (leaving out a few
function words) begins a word of the record's text fields, after both are normalised:

- case and accents are ignored (``Türkiye`` = ``turkiye``), and so is punctuation
  (``Nagorno-Karabakh`` = ``Nagorno Karabakh``, ``Putin's`` = ``Putin s``);
- American and British spellings meet (``recognized`` = ``recognised``,
  ``organization`` = ``organisation``, ``apologize`` = ``apologise``);
- a few inflections are stripped from the claim's words, so ``withdrew`` finds
  ``withdrawn`` and ``withdrawal``, ``closed`` finds ``closure``, ``apologised`` finds
  ``apology``, ``recognised`` finds ``recognition``;
- a few names the knowledge base writes one way are read both ways (``Turkey`` and
  ``Türkiye``, ``Kiev`` and ``Kyiv``).

Every text field of a record is searched, but not alike. A record *is* what the claim
speaks of when the words are in the fields that say what it is (id, kind, summary, place,
name, site, agency, city, status, figures) or in the name of the moment (a presence
record's end is its ``withdrawal``, an office's end its ``closure``, an agreement's date
its ``signature``). Words found only in its notes or in the documents it cites make it a
*mention*: it is shown, with the sentence that mentions them, but it does not decide the
claim (its dates are the record's, not those of what it mentions).
"""

from __future__ import annotations

import re
import unicodedata

_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "its",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
    ]
)
#: Names written two ways; the claim's word is replaced by the knowledge base's.
_SAME = {"turkey": "turkiye", "kiev": "kyiv", "kirghizia": "kyrgyzstan", "byelorussia": "belarus"}
#: Irregular forms and the stem that the knowledge base's words begin with.
_IRREGULAR = {
    "withdrew": "withdr",
    "withdrawn": "withdr",
    "withdraw": "withdr",
    "withdrawal": "withdr",
    "shot": "shot",
    "fought": "fought",
    "signed": "sign",
    "closed": "clos",
    "closure": "clos",
    "apology": "apolog",
    "recognition": "recogni",
}
_SUFFIXES = ("ations", "ation", "ising", "ised", "ises", "ions", "ion", "ings", "ing",
             "ies", "ied", "ed", "es", "s", "e", "y")  # fmt: skip


def words(text: str) -> list[str]:
    """The normalised words of ``text`` (lower case, no accents, British spelling)."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    out = []
    for word in re.findall(r"[a-z0-9]+", plain.casefold()):
        word = re.sub(r"iz(e|ed|es|ing|ation|ations)$", r"is\1", word)
        word = re.sub(r"yz(e|ed|es|ing)$", r"ys\1", word)
        out.append(_SAME.get(word, word))
    return out


def stem(word: str) -> str:
    """The beginning a record's word must have to match the claim's ``word``."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def needles(text: str) -> list[str]:
    """The stems a record must contain for a claim's ``text`` to match it."""
    return [stem(w) for w in words(text) if w not in _STOP]


def contains(haystack: str, text: str) -> bool:
    """Whether every word of ``text`` begins a word of ``haystack`` (normalised)."""
    have = words(haystack)
    return all(any(h.startswith(n) for h in have) for n in needles(text))


#: The fields that say what a record is; the others (notes, sources) only mention things.
PRIMARY_FIELDS = ("id", "kind", "summary", "place", "name", "site", "agency", "city", "figures",
                  "status")  # fmt: skip


def record_text(record, primary: bool = True) -> str:
    """The text of a knowledge-base record.

    ``primary``: the fields that say what the record is (its id, kind, summary, place,
    name, site, agency, city, status, figures). Otherwise the fields that only mention
    things: its notes (note, confidence, closure and size notes) and the titles and
    quoted words of the documents it cites.
    """
    parts: list[str] = []
    for name, value in record.model_dump(exclude={"citations"}).items():
        if (name in PRIMARY_FIELDS) != primary:
            continue
        if name == "id" and isinstance(value, str):
            parts.append(value.replace("_", " "))
        elif isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict):
            parts += [f"{k} {v}" for k, v in value.items()]
    if not primary:
        for c in record.citations:
            parts += [c.title, c.quote or ""]
    return " ".join(parts)


def sentence(text: str, words_: str) -> str | None:
    """The first sentence of ``text`` that contains every word of ``words_`` (or None)."""
    for part in re.split(r"(?<=[.;!?])\s+", text):
        if contains(part, words_):
            return part.strip()
    return None
