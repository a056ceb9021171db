"""The public API: every example in docs/api.md runs, and each function called directly returns
what a caller relies on."""

import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import phrasekit
from helpers import write_tree
from phrasekit.errors import NotFoundError, PhrasekitWarning, UnknownNameError

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```$", DOC.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_doc_has_an_example_for_every_public_function():
    assert len(BLOCKS) >= 10
    text = "\n".join(BLOCKS)
    for name in phrasekit.__all__:
        if name not in ("errors", "__version__", "load_packs"):
            assert f"phrasekit.{name}(" in text, name


@pytest.mark.parametrize("number", range(len(BLOCKS)))
def test_every_example_in_the_doc_runs(number):
    exec(compile(BLOCKS[number], f"docs/api.md block {number + 1}", "exec"), {"__name__": "api_example"})


def test_import_phrasekit_imports_nothing_heavy():
    code = ("import sys, phrasekit\nprint(sorted(m for m in sys.modules if m.startswith('phrasekit')), "
            "'yaml' in sys.modules, 'jinja2' in sys.modules, 'click' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[0] == "['phrasekit'] False False False"


def test_public_names_are_the_functions_even_after_their_modules_load():
    from phrasekit.search import rank_phrases  # noqa: F401  (loads the search module)

    assert callable(phrasekit.search) and phrasekit.search.__name__ == "search"
    assert sorted(dir(phrasekit)) == sorted(phrasekit.__all__)
    with pytest.raises(AttributeError):
        phrasekit.nothing_here  # noqa: B018


def test_search_returns_hits_rows_and_details():
    result = phrasekit.search("2x charged", categories=["apology"], limit=2, sets=["when=today"])
    assert [hit.phrase.category for hit in result.hits] == ["apology", "apology"]
    assert result.hits[0].phrase.full_id == "builtin/double-charge-sorry"
    assert result.details == {"when": "today"}
    rows = result.rows()
    assert rows[0]["id"] == "builtin/double-charge-sorry" and rows[0]["filled"] == rows[0]["text"]
    assert json.loads(json.dumps(rows)) == rows


def test_search_keeps_to_a_channel_and_a_pack(tmp_path):
    pack = write_tree(tmp_path / "team", {"pack.yaml": """
        name: team
        phrases:
          - id: gizmo-sorry
            category: apology
            text: I'm sorry the gizmo broke.
            situations: [gizmo broken]
    """})  # fmt: skip
    only_team = phrasekit.search("gizmo broken", paths=[str(pack)], packs=["team"])
    assert [hit.phrase.full_id for hit in only_team.hits] == ["team/gizmo-sorry"]
    sms = phrasekit.search("late delivery", channel="sms", limit=3)
    assert sms.hits and all(hit.phrase.fits_channel("sms") for hit in sms.hits)


def test_search_names_the_option_of_an_unknown_filter():
    with pytest.raises(UnknownNameError) as error:
        phrasekit.search("late", categories=["nope"])
    assert error.value.option == "--category" and "unknown category 'nope'" in error.value.message
    with pytest.raises(UnknownNameError) as error:
        phrasekit.search("late", packs=["nope"])
    assert error.value.option == "--pack"
    with pytest.raises(phrasekit.errors.PhrasekitError, match="unknown ranking mode"):
        phrasekit.search("late", mode="fast")


def test_a_broken_pack_is_a_warning_to_the_callback_or_a_python_warning(tmp_path):
    broken = write_tree(tmp_path / "broken", {"pack.yaml": "name: Not Valid\n"})
    seen = []
    assert phrasekit.list_packs(paths=[str(broken)], warn=seen.append)[0]["name"] == "builtin"
    assert len(seen) == 1 and seen[0].startswith(f"skipped {broken}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        phrasekit.list_packs(paths=[str(broken)])
    assert [w.category for w in caught] == [PhrasekitWarning] and str(caught[0].message) == seen[0]


def test_build_script_returns_six_steps_and_json():
    script = phrasekit.build_script("double charge", channel="chat", mode="lexical")
    assert script.channel == "chat" and script.family == "double-charge"
    assert [step.step.number for step in script.steps] == [1, 2, 3, 4, 5, 6]
    data = script.to_dict()
    assert set(data) == {"situation", "channel", "family", "steps"}
    assert all(set(p) == {"id", "category", "text", "blanks", "filled", "score"}
               for step in data["steps"] for p in step["phrases"])  # fmt: skip


def test_build_script_merges_config_and_case_deeply(tmp_path):
    from phrasekit.config import config_path

    config_path().parent.mkdir(parents=True)
    config_path().write_text("agent:\n  name: Sam Patel\n")
    case = write_tree(tmp_path, {"case.yaml": "customer:\n  name: Dana Reyes\nagent:\n  team: billing\n"})
    script = phrasekit.build_script("lost package", case_file=str(case / "case.yaml"))
    assert script.details["agent"] == {"name": "Sam Patel", "team": "billing"}
    assert script.steps[0].hits[0].phrase.text.startswith("Dana, I'm Sam Patel. ")


def test_render_follow_up_from_a_case_file_writes_output(tmp_path):
    target = tmp_path / "email.txt"
    rendered = phrasekit.render_follow_up("follow-up-email", case_file=str(EXAMPLES / "lost-package-email.yaml"),
                                          output=target)  # fmt: skip
    assert rendered.subject and rendered.text.startswith(f"Subject: {rendered.subject}\n\nHi Dana,")
    assert target.read_text() == rendered.text
    assert rendered.to_dict()["length"] == len(rendered.body)
    with pytest.raises(phrasekit.errors.PhrasekitError, match="file exists"):
        phrasekit.render_follow_up("follow-up-email", case_file=str(EXAMPLES / "lost-package-email.yaml"),
                                   output=target)  # fmt: skip


def test_render_follow_up_asks_for_missing_blanks_and_refuses_long_text():
    from phrasekit.render import RenderError

    asked = []
    details = {"customer": {"first_name": "Mia"}, "agent": {"name": "Sam"}, "company": {"name": "Northwind"},
               "case": {"issue": "charged for a modem I sent back", "resolution": "Fee removed."}}  # fmt: skip
    rendered = phrasekit.render_follow_up("chat-follow-up", details=details,
                                          ask=lambda name, help_text: asked.append(name) or f"<{name}>")  # fmt: skip
    assert asked and all(f"<{name}>" in rendered.body for name in asked)
    long = {**details, "case": {**details["case"], "next_steps": "x" * 200}}
    with pytest.raises(RenderError, match="over the limit of 160"):
        phrasekit.render_follow_up("sms-follow-up", details=long)
    assert phrasekit.render_follow_up("sms-follow-up", details=long, allow_long=True).length > 160


def test_render_follow_up_names_close_templates():
    with pytest.raises(NotFoundError) as error:
        phrasekit.render_follow_up("sms-folow-up")
    assert "sms-follow-up" in error.value.hint


def test_check_draft_finds_the_channel_rules_and_refuses_an_empty_draft():
    post = "So sorry! Reply with your email address and order number and we'll look."
    result = phrasekit.check_draft(post, channel="social", name="post.txt")
    assert "asks-details-in-public" in {f.rule for f in result.findings}
    assert result.findings[0].location.path == "post.txt" and result.channel == "social"
    assert result.findings[0].to_dict().keys() == {"path", "line", "column", "rule", "family", "message", "excerpt",
                                                   "sentence", "kind", "suggestion", "suggestion_id"}  # fmt: skip
    long = phrasekit.check_draft("I'm sorry. " * 20, channel="sms", kind="reply")
    assert "too-long" in {f.rule for f in long.findings}
    assert "too-long" not in {f.rule for f in phrasekit.check_draft("I'm sorry. " * 20, channel="social").findings}
    assert phrasekit.check_draft("Following up on your case.").kind == "reply"  # one line: a check-in
    follow_up = phrasekit.check_draft(
        "Following up on your case about the router. The engineer visited on Monday and the ticket is now "
        "closed in our system, and the line test shows the connection as stable again."
    )
    assert follow_up.kind == "follow-up" and {"no-apology", "no-thanks"} <= {f.rule for f in follow_up.findings}
    with pytest.raises(phrasekit.errors.PhrasekitError, match="the draft is empty"):
        phrasekit.check_draft("  \n")


def test_catalogue_reads_include_a_packs_own(tmp_path):
    pack = write_tree(tmp_path / "team", {
        "pack.yaml": "name: team\nversion: 1.2.0\ncategories:\n  warranty: Explaining the warranty\n",
        "templates/team-note.jinja": "---\nname: team-note\nchannel: chat\nfields:\n  - agent.name\n---\nHi.\n",
    })  # fmt: skip
    paths = [str(pack)]
    packs = phrasekit.list_packs(paths=paths)
    assert [(p["name"], p["version"], p["origin"]) for p in packs] == [
        ("builtin", packs[0]["version"], "builtin"),
        ("team", "1.2.0", "--path"),
    ]
    assert phrasekit.list_categories(paths=paths)[-1].to_dict() == {
        "name": "warranty",
        "description": "Explaining the warranty",
        "guidance": "",
        "step": None,
        "pack": "team",
    }
    template = phrasekit.show_template("team-note", paths=paths)
    assert (template.pack, template.channel, template.body) == ("team", "chat", "Hi.\n")
    assert [t.name for t in phrasekit.list_templates(paths=paths)][-1] == "team-note"
    with pytest.raises(NotFoundError):
        phrasekit.show_template("team-note")


def test_show_phrase_returns_the_family_and_json():
    shown = phrasekit.show_phrase("builtin/sorry-core")
    assert shown.family is None and shown.phrase.general
    assert shown.to_dict()["filled"] == "I'm sorry." and shown.details == {}


def test_validate_packs_reports_a_clean_pack(tmp_path):
    pack = write_tree(tmp_path / "team", {"pack.yaml": """
        name: team
        phrases:
          - id: late-sorry
            category: apology
            text: I'm sorry your parcel is late.
    """})  # fmt: skip
    [report] = phrasekit.validate_packs([pack], strict=True)
    assert report.ok and report.to_dict() == {"path": str(pack), "ok": True, "name": "team", "phrases": 1,
                                              "families": 0, "findings": []}  # fmt: skip


def test_model_status_says_why_semantic_ranking_is_off():
    status = phrasekit.model_status()
    assert set(status) == {"model", "path", "source", "size", "expected_size", "checksum_ok", "in_use", "reason",
                           "phrases", "phrases_with_vectors"}  # fmt: skip
    assert status["in_use"] is False and status["reason"]


def test_a_lexical_search_imports_neither_the_semantic_modules_nor_the_renderer(isolated_home, tmp_path):
    env = {**__import__("os").environ, "XDG_CACHE_HOME": str(isolated_home / ".cache"), "HOME": str(isolated_home)}
    code = ("import sys, phrasekit\nresult = phrasekit.search('late delivery', mode='lexical', limit=1)\n"
            "print(bool(result.hits), sorted(m for m in ('phrasekit.semantic', 'phrasekit.encoder', 'phrasekit.render',"
            " 'jinja2', 'numpy') if m in sys.modules))")  # fmt: skip
    options = {"env": env, "capture_output": True, "text": True, "check": True, "cwd": tmp_path}
    out = subprocess.run([sys.executable, "-c", code], **options).stdout  # the session's bank index: current
    assert out.strip() == "True []"
