"""`phrasekit script`: the six steps of the practice for a situation."""

import json
import re
from pathlib import Path

from click.testing import CliRunner

from helpers import write_tree
from phrasekit.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STEP_NAMES = ["listen", "acknowledge", "apologize and empathize", "take ownership", "resolve", "close and follow up"]


def script(*args):
    result = CliRunner().invoke(cli, [*args[:-1], "script", "--json", *args[-1:]] if args and args[0] == "--path"
                                else ["script", "--json", *args], catch_exceptions=False)  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_six_steps_in_order_with_guidance_and_phrases():
    data = script("pkg marked delivered never came")
    assert data["situation"] == "pkg marked delivered never came" and data["channel"] is None
    assert [s["step"] for s in data["steps"]] == [1, 2, 3, 4, 5, 6]
    assert [s["name"] for s in data["steps"]] == STEP_NAMES
    for step in data["steps"]:
        assert step["guidance"]
        assert 1 <= len(step["phrases"]) <= 3
        assert all(set(p) == {"id", "category", "text", "blanks", "filled", "score"} for p in step["phrases"])
    categories = {s["step"]: {p["category"] for p in s["phrases"]} for s in data["steps"]}
    assert categories[3] == {"apology", "empathy", "ally"}
    assert categories[5] == {"fair-solution", "next-steps"}
    assert categories[6] == {"satisfaction-check", "thank-you", "follow-up"}
    assert data["steps"][2]["phrases"][0]["id"] == "builtin/lost-package-sorry"
    assert data["family"] == "lost-package"
    ids = [p["id"] for s in data["steps"] for p in s["phrases"]]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("builtin/lost-package-") for i in ids)


def test_a_situation_without_a_family_gets_the_general_phrases_never_another_familys(builtin_pack):
    data = script("customer unhappy with the colour of the shop's new carpet")
    assert data["family"] is None
    ids = [p["id"] for s in data["steps"] for p in s["phrases"]]
    assert "builtin/sorry-core" in ids
    general = {f"builtin/{p.id}" for p in builtin_pack.phrases if p.general}
    assert set(ids) <= general
    text = CliRunner().invoke(cli, ["script", "customer unhappy with the colour of the shop's new carpet"]).stdout
    assert text.splitlines()[0].endswith("- no phrases for this exact situation; general ones")


def test_text_and_markdown_output():
    text = CliRunner().invoke(cli, ["script", "double", "charge"]).stdout
    assert text.startswith("Script: double charge\n\n1. Listen\n   Let them vent")
    assert "\n6. Close and follow up\n" in text and "[builtin/double-charge-" in text
    markdown = CliRunner().invoke(cli, ["script", "--markdown", "double", "charge"]).stdout
    assert markdown.startswith("**Script:** double charge\n\n### 1. Listen\n\n_Let them vent")
    assert "(`builtin/double-charge-" in markdown


def test_a_team_phrase_for_the_situation_comes_first(tmp_path):
    pack = write_tree(tmp_path / "team", {"pack.yaml": """
        name: team
        categories:
          warranty-check: {description: Check the warranty, step: 5}
        phrases:
          - id: late-sorry
            category: apology
            text: "Sorry the Acme order is late; I'm chasing the van now."
            situations: [late delivery, order late]
          - id: warranty-look
            category: warranty-check
            text: "Let me check what your warranty covers for a late order."
            situations: [late delivery]
        """})  # fmt: skip
    data = script("--path", str(pack), "late delivery")
    assert data["steps"][2]["phrases"][0]["id"] == "team/late-sorry"
    assert "team/warranty-look" in [p["id"] for p in data["steps"][4]["phrases"]]


def test_social_moves_to_a_private_channel_and_never_asks_in_public():
    data = script("--channel", "social", "angry tweet about a double charge")
    first = data["steps"][0]["phrases"][0]["text"]
    assert re.search(r"\bDM\b|direct message|private message", first, re.I)
    assert "private channel" in data["steps"][0]["guidance"]
    from phrasekit.check import asks_for_private_details

    for step in data["steps"]:
        for phrase in step["phrases"]:
            assert not asks_for_private_details(phrase["text"]) or re.search(
                r"\bDM\b|direct message|private message", phrase["text"], re.I
            )


def test_case_fills_in_names():
    data = script("--case", str(EXAMPLES / "no-show-callback.yaml"), "technician never showed up")
    assert data["steps"][0]["phrases"][0]["text"].startswith("Omar, I'm Lee Morgan. ")
    thanks = [p["text"] for p in data["steps"][5]["phrases"] if p["category"] == "thank-you"]
    assert thanks and ", Omar" in thanks[0]


def test_script_takes_lexical_and_semantic_like_search(monkeypatch):
    lexical = CliRunner().invoke(cli, ["script", "--lexical", "--json", "double charge"])
    assert lexical.exit_code == 0 and json.loads(lexical.stdout)["family"] == "double-charge"
    monkeypatch.setattr("phrasekit.semantic.unavailable_reason", lambda: "the semantic extra is not installed")
    demanded = CliRunner().invoke(cli, ["script", "--semantic", "double charge"])
    assert demanded.exit_code == 2
    assert "semantic ranking is not available: the semantic extra is not installed" in demanded.stderr


def write_config(text: str) -> None:
    from phrasekit.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_an_agent_section_in_the_case_keeps_the_configured_agent_name(tmp_path):
    """Config and case merge deeply, once, for script as for render: a case that says something
    else about the agent (their team) keeps the agent name from config.yaml."""
    write_config("agent:\n  name: Sam Patel\ncompany:\n  name: Northwind Goods\n")
    case = write_tree(tmp_path, {"case.yaml": """
        customer:
          name: Dana Reyes
        agent:
          team: billing
        case:
          issue: a package marked delivered that never arrived
    """}) / "case.yaml"  # fmt: skip
    data = script("--case", str(case), "pkg marked delivered never came")
    assert data["steps"][0]["phrases"][0]["text"].startswith("Dana, I'm Sam Patel. ")
    text = CliRunner().invoke(cli, ["script", "--case", str(case), "pkg marked delivered never came"]).stdout
    assert "Dana, I'm Sam Patel. " in text
    rendered = CliRunner().invoke(cli, ["render", "sms-follow-up", "--case", str(case), "--no-prompt",
                                        "--set", "case.next_steps=a new parcel ships today", "--json"])  # fmt: skip
    assert rendered.exit_code == 0, rendered.output
    assert "Sam Patel from Northwind Goods" in json.loads(rendered.stdout)["body"]


def test_set_overrides_the_case_file_and_the_config_in_script(tmp_path):
    write_config("agent:\n  name: Sam Patel\n")
    case = write_tree(tmp_path, {"case.yaml": "customer:\n  name: Dana Reyes\nagent:\n  name: Lee\n"}) / "case.yaml"
    data = script("--case", str(case), "--set", "customer.first_name=Dee", "pkg marked delivered never came")
    assert data["steps"][0]["phrases"][0]["text"].startswith("Dee, I'm Lee. ")
