"""Write the "Sources" section of docs/data_sources.md from sources/registry.toml.

Usage: ``python scripts/sources_doc.py``. It replaces everything after the
``<!-- sources -->`` marker, so the page never says something the registry does not.
"""

from __future__ import annotations

from pathlib import Path

from allegiance.sources.registry import DERIVED, REGISTRY, SOURCES

DOC = Path(__file__).resolve().parents[1] / "docs" / "data_sources.md"
MARK = "<!-- sources -->"

STATUS = {
    "pinned": "fetched, sha256 pinned",
    "unpinned": "not fetched (no pinned hash; copy it from a mirror)",
    "manual": "download by hand (see the registry's `manual`)",
}


def section() -> str:
    lines = ["", "Generated from `src/allegiance/sources/registry.toml` by "
             "`scripts/sources_doc.py`; the registry is the one place for these facts.", ""]  # fmt: skip
    for key, source in SOURCES.items():
        lines += [f"### {source.title} (`{key}`)", ""]
        lines.append(f"- **Provenance:** {source.provenance}")
        lines.append(f"- **Licence / terms:** {source.licence}")
        lines.append(f"- **Cite:** {source.citation}")
        files = [e for e in REGISTRY.values() if e.source == key]
        if files:
            lines.append("- **Files:**")
            for e in files:
                also = (
                    f"; stands for {', '.join(f'`{n}`' for n in e.stands_for)}"
                    if e.stands_for
                    else ""
                )
                lines.append(f"  - `{e.name}`: {STATUS[e.status]}{also}")
        lines.append("")
    lines += ["### Files assembled when the mirror was made", ""]
    lines += [f"- `{name}`: {why}" for name, why in DERIVED.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    head = DOC.read_text(encoding="utf-8").split(MARK)[0]
    DOC.write_text(head + MARK + "\n" + section(), encoding="utf-8")


if __name__ == "__main__":
    main()
