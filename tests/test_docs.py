"""The docs stay true to the tests: each promise in docs/security.md names a test that exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _test_names() -> set[str]:
    names = set()
    for path in (ROOT / "tests").glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    return names


def test_every_test_docs_security_names_is_a_test():
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_\w+)", text))
    assert len(named) >= 30  # the page names a test for each promise
    assert sorted(named - _test_names()) == []


def test_every_section_of_docs_security_names_a_test():
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    untested = [s.splitlines()[0] for s in sections if "`test_" not in s and not s.startswith("What a hostile")]
    assert untested == []
