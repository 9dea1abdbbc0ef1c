"""The one place for the index's weights and the channels' internal weights.

Every number that expresses a judgement rather than a fact is here, with the reason for it.
Override the channel weights with a dict (``store.influence(weights={...})``) or a file
(``--weights FILE``, JSON or TOML, ``{"votes": 0.3, "trade": 0.2, ...}``); channels left out
of an override keep their default weight, and a weight of 0 drops a channel.

Channel weights are relative: the index divides by the sum of the weights of the channels
that have a score, so only ratios matter and a missing channel is reweighted away.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from allegiance.errors import BadInputError

#: Default weight of each channel in the index. Votes and institutions are the broadest,
#: longest series (every UN member, every year); trade and arms measure dependence, the
#: core of the FBIC idea; military presence is decisive where it exists but is recorded
#: only for the post-Soviet states and Syria. Energy is the dependence a supplier has used
#: as a lever (Russia's gas cut-offs to Ukraine in 2006 and 2009, to Europe in 2022), so
#: it weighs as much as arms; not more, because part of it is already in trade (energy is
#: a large part of the goods trade of Russia's neighbours) and its data cover named
#: importers and Europe only. Opinion (Pew in up to 70 countries, the Caucasus Barometer
#: in three) is sparse, survey years only, and says what publics think rather than what
#: ties the state, so it weighs least.
DEFAULT_WEIGHTS: dict[str, float] = {
    "votes": 0.25,
    "institutions": 0.20,
    "trade": 0.20,
    "arms": 0.15,
    "energy": 0.15,
    "military": 0.15,
    "opinion": 0.05,
    # Off until coverage allows: event counts follow news attention, which is uneven across
    # states and years, and the data at hand is one GDELT extract of events located in
    # Georgia, 2011-2013 (docs/events.md). Set a weight to include it.
    "events": 0.0,
}

#: Weight of a channel that is neither here nor sets ``DEFAULT_WEIGHT`` in its module.
NEW_CHANNEL_WEIGHT = 0.10

#: Depth of an organization by its ``kind`` (organizations.yaml): a mutual-defence
#: alliance binds more than an economic or customs union, which binds more than a forum.
INSTITUTION_DEPTH: dict[str, float] = {
    "defence_alliance": 0.60,
    "economic_union": 0.50,  # EU, EAEU, EurAsEC: single market or customs union and more
    "customs_union": 0.45,
    "political_union": 0.40,  # Union State of Russia and Belarus
    "security_forum": 0.25,  # SCO
    "regional_forum": 0.15,  # CIS, Organization of Turkic States
}

#: How much each membership status counts of the full depth.
STATUS_WEIGHT: dict[str, float] = {
    "member": 1.00,
    "suspended": 0.25,  # still a member in law, not taking part (Armenia in the CSTO, 2024)
    "candidate": 0.20,
    "observer": 0.15,
    "partner": 0.10,  # dialogue or associate partner
    "applicant": 0.05,
}

#: Weight of one site of foreign presence by its ``kind`` (military_presence.yaml).
PRESENCE_KIND: dict[str, float] = {
    "base": 0.60,
    "naval_base": 0.60,
    "airbase": 0.60,
    "troops": 0.50,
    "peacekeepers": 0.40,
    "border_guards": 0.40,
    "radar": 0.30,
    "other": 0.30,
}


def _key_lines(text: str, keys) -> dict[str, int]:
    """The line of each key in a JSON or TOML text (its first mention), for errors."""
    lines = text.splitlines()
    found = {}
    for key in keys:
        pattern = re.compile(rf"""(^|[{{,\s])["']?{re.escape(str(key))}["']?\s*[:=]""")
        for number, line in enumerate(lines, start=1):
            if pattern.search(line):
                found[str(key)] = number
                break
    return found


def load(path: str | Path, channels=None) -> dict[str, float]:
    """Channel weights from a JSON or TOML file (a flat table of channel = weight).

    A file that cannot be read or parsed, a weight that is not a number or is negative,
    and (when ``channels`` is given) a channel that does not exist are a
    :class:`~allegiance.errors.BadInputError` naming the file, the line and the channel.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: cannot read the weights file ({exc})") from None
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInputError(f"{path}: not valid TOML ({exc})") from None
    except json.JSONDecodeError as exc:
        raise BadInputError(f"{path}, line {exc.lineno}: not valid JSON ({exc.msg})") from None
    if isinstance(data, dict) and "weights" in data and isinstance(data["weights"], dict):
        data = data["weights"]
    if not isinstance(data, dict):
        raise BadInputError(f'{path}: expected a table of channel = weight, e.g. {{"votes": 0.3}}')
    lines = _key_lines(text, data)

    def where(key) -> str:
        return f"{path}, line {lines[str(key)]}" if str(key) in lines else str(path)

    if channels is not None:
        unknown = [k for k in data if str(k) not in set(channels)]
        if unknown:
            k = unknown[0]
            raise BadInputError(
                f"{where(k)}: unknown channel {k!r}; channels are {', '.join(channels)}"
            )
    return validate(data, where)


def validate(weights: Mapping, where=None) -> dict[str, float]:
    """Check that every weight is a number >= 0 (``where(key)`` names the file and line)."""
    out = {}
    for name, value in dict(weights).items():
        at = f"{where(name)}: " if where is not None else ""
        try:
            w = float(value)
        except (TypeError, ValueError):
            raise BadInputError(f"{at}weight of {name!r} is not a number: {value!r}") from None
        if w < 0 or w != w:
            raise BadInputError(f"{at}weight of {name!r} must be 0 or more, not {value!r}")
        out[str(name)] = w
    return out


def resolve(channels, override: Mapping | str | Path | None = None) -> dict[str, float]:
    """The weight of every channel: the override, else the default, else the module's.

    Parameters
    ----------
    channels : iterable of str
        Channel names (``allegiance.analysis.influence.channels.names()``).
    override : dict or path, optional
        Weights that replace the defaults for the channels they name.

    Raises
    ------
    BadInputError
        An unknown channel, a negative weight, or every weight 0 (naming the file and
        line for a file).
    """
    from allegiance.analysis.influence.channels import registry

    found = registry()
    channels = list(channels)
    if isinstance(override, (str, Path)):
        given = load(override, channels)
    else:
        given = validate(override or {})
        unknown = sorted(set(given) - set(channels))
        if unknown:
            raise BadInputError(
                f"unknown channel(s) in weights: {', '.join(unknown)}; channels: "
                f"{', '.join(channels)}"
            )
    out = {}
    for name in channels:
        module_default = (
            getattr(found[name].module, "DEFAULT_WEIGHT", NEW_CHANNEL_WEIGHT)
            if name in found
            else NEW_CHANNEL_WEIGHT
        )
        out[name] = given.get(name, DEFAULT_WEIGHTS.get(name, module_default))
    if not any(w > 0 for w in out.values()):
        raise BadInputError("every channel weight is 0; give at least one a positive weight")
    return out
