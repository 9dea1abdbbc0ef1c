"""Reading a claims file: YAML with the line of every value.

The file is read with :class:`ClaimsLoader`, a YAML 1.1 safe loader that keeps two of the
1.1 rules out:

- only ``true`` and ``false`` are booleans, so that the key ``on:`` and the votes
  ``yes``, ``no`` (and ``off``, ``y``, ``n``) stay text, as a writer means them;
- dates stay text, so that an impossible date (``2022-02-30``) reaches the claims
  validation, which names its line and field, instead of failing inside the parser; and a
  year or month keeps its precision.

:func:`read` returns the data and a map from each value's path (``("claims", 3, "check",
"states", 1)``) to its line (1-based), so that every problem can be placed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class ClaimsLoader(yaml.SafeLoader):
    """A safe loader in which only ``true``/``false`` are booleans and dates stay text."""


ClaimsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ClaimsLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

#: A path to a value in the file: keys and list indexes from the top.
Path_ = tuple[str | int, ...]


def _positions(node: yaml.Node, path: Path_, out: dict[Path_, int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, key.value)
            _positions(value, child, out)
            # The key's line, not the value's: a block value starts on the next line.
            out[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(item, (*path, i), out)


def read(path: Path, text: str | None = None) -> tuple[Any, dict[Path_, int]]:
    """The data of a claims file and the line of each value.

    Raises
    ------
    OSError
        If the file cannot be read.
    yaml.YAMLError
        If it is not YAML (the error carries its own line).
    """
    text = path.read_text(encoding="utf-8") if text is None else text
    loader = ClaimsLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    positions: dict[Path_, int] = {}
    _positions(node, (), positions)
    return data, positions


def line_of(positions: dict[Path_, int], path: Path_) -> int:
    """The line of ``path``, or of its nearest enclosing value that has one."""
    for n in range(len(path), -1, -1):
        if path[:n] in positions:
            return positions[path[:n]]
    return 1
