"""Claim files written for the claims tests: a document header, claims, results by id."""

from __future__ import annotations

from pathlib import Path

import yaml

DOC = {"title": "A test document", "author": "Tester", "publisher": "Tests", "date": "2025-03-10"}


def write(
    tmp_path: Path, *claims: dict, name: str = "claims.yaml", text: str | None = None
) -> Path:
    """A claims file of ``claims`` under :data:`DOC` (or of ``text`` as given)."""
    path = tmp_path / name
    if text is None:
        text = yaml.safe_dump({"document": DOC, "claims": list(claims)}, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def claim(id_: str, kind: str, /, **params) -> dict:
    return {"id": id_, "text": f"quoted statement {id_}", "kind": kind, "check": params}


def by_id(results) -> dict:
    """The evidence of each checked claim, by claim id."""
    return {r["id"]: r["evidence"] for _, r in results.iterrows()}
