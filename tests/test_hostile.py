"""Hostile input: files and values written to break phrasekit, and what a user sees instead.

Each kind of input has its own section, so cases can be added side by side.
"""

from __future__ import annotations

import json
import shutil
import threading
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

import phrasekit
from phrasekit.cli import cli

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


def within(seconds: float, work):
    """Run ``work()`` in another thread (as a caller of the Python API might) and return its
    result; a hang guard, not a timing: the point is that it ends at all."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as error:  # handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


# --- templates: pack templates that ask for unbounded work ---------------------------------------

HANG_GUARD = 120
"""Seconds a hostile render may take before the test calls it a hang (each ends in a few)."""

STOPPED = {
    "power": "would compute a number of over 10,000 bits",
    "repeat-huge": "would make a value of over 200,000 characters or items",
    "repeat-twice": "would make a value of over 200,000 characters or items",
    "loop-over-repeat": "would make a value of over 200,000 characters or items",
    "nested-loops": ("took over 2,000,000 steps", "seconds of CPU time"),
    "nested-loops-output": ("took over 2,000,000 steps", "seconds of CPU time", "a text of over 200,000"),
    "nested-range": "range() is not available in phrasekit templates",
    "lipsum": "lipsum() is not available in phrasekit templates",
    "recursive-macro": "calls inside the template nest over 50 deep",
    "doubling-macro": "would make a value of over 200,000 characters or items",
    "doubling-set": "would make a value of over 200,000 characters or items",
    "squaring": "would compute a number of over 10,000 bits",
    "nested-lists": "would make a value of over 200,000 characters or items",
    "center-width": "would make a value of over 200,000 characters or items",
    "format-width": "would make a value of over 200,000 characters or items",
    "printf-width": "would make a value of over 200,000 characters or items",
    "replace-empty": "would make a value of over 200,000 characters or items",
    "join-wide": "would make a value of over 200,000 characters or items",
    "to-bytes": "would make a value of over 200,000 characters or items",
    "filter-block-loop": ("took over 2,000,000 steps", "seconds of CPU time"),
}


@pytest.fixture(scope="module")
def hostile_pack(tmp_path_factory) -> Path:
    pack = tmp_path_factory.mktemp("hostile") / "hostile"
    shutil.copytree(HOSTILE / "templates", pack / "templates")
    (pack / "pack.yaml").write_text("name: hostile\n")
    return pack


def test_every_hostile_template_has_its_expected_stop():
    assert sorted(STOPPED) == sorted(p.stem for p in (HOSTILE / "templates").glob("*.jinja"))


@pytest.mark.parametrize("name", sorted(STOPPED))
def test_a_template_asking_for_unbounded_work_stops_with_a_clear_error(hostile_pack, name):
    result = within(HANG_GUARD, lambda: CliRunner().invoke(
        cli, ["--path", str(hostile_pack), "render", name, "--set", "agent.name=Sam", "--no-prompt"]))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    expected = STOPPED[name] if isinstance(STOPPED[name], tuple) else (STOPPED[name],)
    assert any(text in result.stderr for text in expected), result.stderr
    assert result.stderr.startswith(f"Error: {hostile_pack / 'templates' / name}.jinja")
    assert "Traceback" not in result.output and "bug in phrasekit" not in result.output


@pytest.mark.parametrize("name", ["repeat-huge", "nested-lists"])
def test_a_hostile_template_is_refused_before_it_takes_the_memory(hostile_pack, name):
    tracemalloc.start()
    try:
        with pytest.raises(phrasekit.render.TemplateLimitError) as caught:
            within(HANG_GUARD, lambda: phrasekit.render_follow_up(name, paths=[str(hostile_pack)],
                                                                   details={"agent": {"name": "Sam"}}))  # fmt: skip
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20
    assert caught.value.location.path.endswith(f"{name}.jinja")
    assert caught.value.location.line == 8


# --- templates: public replies that try to show, or change, the customer's private details ------

CASE = {
    "agent": {"name": "Sam"},
    "customer": {"name": "Jordan Lee", "address": "12 Harbour Street, Leeds LS1 4AB", "phone": "+44 20 7946 0018",
                 "email": "sunny.days.77@example.com", "tags": ["vip"]},
}  # fmt: skip
FIELDS = "  - agent.name\n  - customer.address\n"


def public_pack(root: Path, body: str) -> Path:
    pack = root / "public"
    (pack / "templates").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: public\n")
    (pack / "templates" / "post.jinja").write_text(f"---\nname: post\nchannel: social\nfields:\n{FIELDS}---\n{body}\n")
    return pack


@pytest.mark.parametrize(
    "body",
    [
        "{% set _ = customer.update({'address': ''}) %}Sorry!",
        "{% set _ = customer.pop('address') %}Sorry!",
        "{% set _ = customer.clear() %}Sorry!",
        "{% set _ = customer.setdefault('extra', 1) %}Sorry!",
        "{% set _ = customer.tags.append('changed') %}Sorry!",
        "{% set _ = customer.tags.extend(customer.tags) %}Sorry!",
    ],
)
def test_a_template_cannot_change_the_case_it_renders(tmp_path, body):
    pack = public_pack(tmp_path, body)
    case = {key: dict(value) for key, value in CASE.items()}
    case["customer"]["tags"] = ["vip"]
    with pytest.raises(phrasekit.render.TemplateError) as caught:
        phrasekit.render_follow_up("post", paths=[str(pack)], details=case)
    assert caught.value.message.startswith("refused: a template cannot change a ")
    assert case["customer"]["address"] == "12 Harbour Street, Leeds LS1 4AB" and case["customer"]["tags"] == ["vip"]
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(CASE))
    result = CliRunner().invoke(cli, ["--path", str(pack), "render", "post", "--case", str(case_file)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Error: {pack / 'templates' / 'post.jinja'}:8: refused: a template cannot change a "
    )
    assert "Templates read the case without changing it" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "body",
    [
        "{{ customer.address | upper }}",
        "{% set shown = customer.address | title %}{% set customer = {'address': ''} %}{{ shown }}",
        "{% macro hide(text) %}{{ text | replace(' ', '') | lower }}{% endmacro %}{{ hide(customer.address) }}",
        "{{ customer.address | reverse | join }}",
        "{{ customer.address | wordwrap(4) }}",
        "{{ customer.address.split(',')[0] }}",
    ],
)
def test_a_public_reply_shows_no_private_detail_however_the_template_turns_it(tmp_path, body):
    pack = public_pack(tmp_path, body)
    with pytest.raises(phrasekit.render.RenderError) as caught:
        phrasekit.render_follow_up("post", paths=[str(pack)], details=CASE, allow_long=True)
    assert "would show customer.address (changed, or a part of it)" in caught.value.message
    assert "template 'post', channel social" in caught.value.message
    assert CASE["customer"]["address"] == "12 Harbour Street, Leeds LS1 4AB"
