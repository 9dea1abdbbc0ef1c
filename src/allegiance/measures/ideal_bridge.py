"""Bridging: which roll calls in different sessions are the same item.

Bailey, Strezhnev and Voeten (2017) put General Assembly ideal points on one scale over
time by giving identical resolutions that return session after session the same item
parameters (discrimination and cut points). A state that keeps voting the same way on the
same resolution then stays in the same place, whatever else changes on the agenda. This
module decides which roll calls are such bridges, as a pure function of a roll-call frame;
the estimator (:mod:`allegiance.measures.ideal_points`) only sees the resulting ``item``
keys.

Rules (documented in ``docs/ideal_points.md``):

1. Only votes on whole resolutions (``kind == "resolution"``) are bridged. Amendment and
   paragraph votes differ in content from one session to the next and keep their own item.
2. Identity is the resolution title after normalisation (:func:`title_key`): the UN title
   where the sources give one, lower-case letters only, without numbers, punctuation or
   the ``: resolution / adopted by the General Assembly`` tail of the UN library records,
   cut to its first ``KEY_LENGTH`` letters (the library's records cut long titles).
3. Before session 40 (1985) Voeten's release carries no UN title, only a coded label and a
   summary written for each vote (``KOREA — TO ADOPT 1ST COMMITTEE DRAFT ...``). Where an
   official record gives the resolution's UN title (``record_title``: the UN Digital
   Library's records, paired with Voeten's roll calls by the store), that title is used.
   Otherwise two such votes are near-identical when they have the same label and their
   summaries share at least ``similarity`` of their content words (Jaccard index); chains
   of near-identical votes in successive sessions form one item.
4. A key that occurs more than once in one session is ambiguous (the General Assembly
   adopts several resolutions titled *General and complete disarmament* a session) and is
   not bridged.
5. A chain is broken where a title is absent for more than ``max_gap`` sessions, so that a
   title revived after decades, with another context and text, is a new item, and after
   ``max_span`` sessions, so that one item's parameters are not held fixed for decades
   while its text and its coalition evolve (the resolutions on nuclear disarmament were
   opposed by the Western nuclear powers and backed by the USSR in the 1980s; Russia has
   voted with the Western nuclear powers on them since 1992). The breaks fall in blocks of
   ``max_span`` sessions whose start is shifted by a hash of the title, so they are
   staggered: in any pair of successive sessions most recurring resolutions still bridge.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
import pandas as pd

__all__ = ["bridge_items", "bridge_pairs", "title_key"]

#: The UN library appends this to resolution titles; it says nothing about the content.
_LIBRARY_TAIL = re.compile(r"\s*:\s*resolution\s*/.*$|\s*:\s*resolution\s*$", re.IGNORECASE)
_NOT_LETTERS = re.compile(r"[^a-z]+")
#: Separator between Voeten's coded label and the title or summary.
_DASH = " — "
#: The R package unvotes puts the UN document symbol, agenda number and title after the
#: separator (``Title : resolution / ... — A/71/251 39 - Title. - SUBJECT``).
_DOCUMENT = re.compile(r"^A/\d")
#: Truncation marks and footnotes appended to some titles.
_TAIL = re.compile(r"\[\.\.\.\]|\t.*$", re.DOTALL)
#: The UN library's records cut titles at 150 characters (``[...]``); keys are cut shorter
#: still, so that a cut and an uncut copy of one title get the same key.
KEY_LENGTH = 80
#: Words that carry no content in Voeten's summaries.
_STOP = frozenset(
    re.findall(
        r"\w+",
        "the of and to in a an for on by its as that with at be which all from or is are this "
        "said adopt approve resolution resol draft comm committee res",
    )
)


def _normalise(text: str) -> str:
    text = _LIBRARY_TAIL.sub("", text)
    return _NOT_LETTERS.sub(" ", text.lower()).strip()


def _key(text: str) -> str:
    """The bridging key of a title: its first ``KEY_LENGTH`` letters, normalised."""
    return _normalise(text)[:KEY_LENGTH].strip()


def _split(title: str) -> tuple[str, str]:
    """Voeten's label and the title (or summary) of a roll call."""
    label, sep, rest = _TAIL.sub("", title).partition(_DASH)
    if not sep:
        return "", label.strip()
    if _DOCUMENT.match(rest.strip()):
        return "", label.strip()
    return label.strip(), rest.strip()


def _is_summary(text: str) -> bool:
    """Voeten's per-vote summaries are in capitals; UN titles are in sentence case."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def title_key(title: str | None) -> str:
    """The title of a roll call folded for bridging; ``""`` when it has none.

    >>> title_key("CUBA, U.S. EMBARGO — Necessity of ending the economic, commercial and "
    ...           "financial embargo : resolution / adopted by the General Assembly")
    'necessity of ending the economic commercial and financial embargo'
    >>> title_key("Jerusalem")
    'jerusalem'
    """
    if title is None or (isinstance(title, float) and np.isnan(title)):
        return ""
    label, rest = _split(str(title))
    return _key(rest or label)


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _normalise(text).split() if len(w) > 2 and w not in _STOP)


def bridge_items(
    roll_calls: pd.DataFrame, similarity: float = 0.5, max_gap: int = 5, max_span: int = 3
) -> pd.Series:
    """The item key of each roll call: shared by the roll calls that bridge sessions.

    Parameters
    ----------
    roll_calls : pandas.DataFrame
        ``id, session, title, kind`` (the store's ``roll_calls()``) and optionally
        ``record_title``, the UN title from an official record (``store.record_titles()``),
        used where ``title`` is only a summary (rule 3).
    similarity : float, default 0.5
        Smallest Jaccard index of content words for two summaries with the same label to be
        near-identical (rule 3); 1 turns near-identity off.
    max_gap : int, default 5
        Longest absence of a title, in sessions, that a bridge spans (rule 5).
    max_span : int, default 3
        Length of the blocks of sessions within which one item's roll calls stay (rule 5).

    Returns
    -------
    pandas.Series
        Indexed like ``roll_calls``: ``"t:<key>#<n>"`` for bridged roll calls (``n`` numbers
        the chains of one key), ``"rc:<id>"`` for the others.
    """
    missing = {"id", "session", "title", "kind"} - set(roll_calls.columns)
    if missing:
        raise ValueError(f"roll-call frame lacks columns {sorted(missing)}")
    rc = roll_calls[["id", "session", "title", "kind"]].copy()
    if "record_title" in roll_calls.columns:
        rc["title"] = _with_record_titles(rc["title"], roll_calls["record_title"])
    parts = rc["title"].fillna("").astype(str).map(_split)
    label = parts.str[0]
    text = parts.str[1]
    summary = text.map(_is_summary)
    key = np.where(summary, "", [_key(t or lab) for lab, t in zip(label, text, strict=True)])
    rc["key"] = key
    item = "rc:" + rc["id"].astype(str)

    final = rc["kind"].eq("resolution") & rc["session"].notna()
    # Rule 2 and 4: exact keys, unique within their session.
    exact = final & ~summary & rc["key"].str.len().gt(0)
    exact &= rc.groupby(["session", "key"])["key"].transform("size").eq(1)
    # Rule 3: summaries chained by label and content words.
    near = final & summary & label.str.len().gt(0)
    near &= rc.assign(label=label).groupby(["session", "label"])["id"].transform("size").eq(1)
    rc["chain_key"] = np.where(near, "s:" + label.str.lower(), "t:" + rc["key"])
    rc["words"] = text.map(_words)

    chosen = rc[exact | near].sort_values(["chain_key", "session"])
    chains = _chains(chosen, similarity, max_gap, max_span)
    size = chains.map(chains.value_counts())
    bridged = chains[size > 1]
    item.loc[bridged.index] = bridged
    return item.rename("item")


def _with_record_titles(title: pd.Series, record: pd.Series) -> pd.Series:
    """``title``, with the record's UN title where ``title`` is only a summary or empty."""
    text = title.fillna("").astype(str).map(lambda t: _split(t)[1])
    summary = text.map(lambda t: not t or _is_summary(t))
    usable = record.notna() & record.astype(str).str.strip().ne("")
    return title.where(~(summary & usable), record)


def _block(key: str, session: int, max_span: int) -> int:
    """The block of ``max_span`` sessions that ``session`` falls in, for this key."""
    return (int(session) + zlib.crc32(key.encode()) % max_span) // max_span


def _chains(rows: pd.DataFrame, similarity: float, max_gap: int, max_span: int) -> pd.Series:
    """Label each row with its chain: same key, same block of sessions, gaps of at most
    ``max_gap``, and for summaries enough shared words with the previous link."""
    out = {}
    prev_key, prev_session, prev_words, n = None, None, frozenset(), 0
    for idx, key, session, words in zip(
        rows.index, rows["chain_key"], rows["session"], rows["words"], strict=True
    ):
        same = key == prev_key and session - prev_session <= max_gap
        same = same and _block(key, session, max_span) == _block(key, prev_session, max_span)
        if same and key.startswith("s:"):
            union = len(words | prev_words)
            same = union > 0 and len(words & prev_words) / union >= similarity
        if key != prev_key:
            n = 0
        elif not same:
            n += 1
        out[idx] = f"{key}#{n}"
        prev_key, prev_session, prev_words = key, session, words
    return pd.Series(out, dtype=object)


def bridge_pairs(votes: pd.DataFrame, period: str = "period") -> pd.DataFrame:
    """Bridging items shared by each pair of successive periods.

    Parameters
    ----------
    votes : pandas.DataFrame
        The long vote frame (``item`` and ``period`` columns), or roll calls with those.

    Returns
    -------
    pandas.DataFrame
        ``period_from, period_to, n_items``: items voted on in both periods.
    """
    pairs = votes[["item", period]].drop_duplicates()
    periods = np.sort(pairs[period].unique())
    sets = pairs.groupby(period)["item"].agg(set)
    rows = [(a, b, len(sets[a] & sets[b])) for a, b in zip(periods[:-1], periods[1:], strict=True)]
    return pd.DataFrame(rows, columns=["period_from", "period_to", "n_items"])
