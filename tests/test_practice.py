"""`packs validate --strict`: a team pack held to the practice, as a lead would run it."""

import json

import pytest
from click.testing import CliRunner

from helpers import write_tree
from phrasekit.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


FAMILY = """
family:
  name: gizmo-broke
  title: The gizmo broke
  situations: [gizmo broke, gizmo stopped working]
phrases:
"""


def pack_with(tmp_path, phrases: str, family: str = FAMILY):
    return write_tree(tmp_path / "team", {"pack.yaml": "name: team\n", "phrases/gizmo.yaml": family + phrases})


def phrase(pid: str, category: str, text: str, channels: str = "[phone, chat, email]") -> str:
    return f'  - id: {pid}\n    category: {category}\n    text: "{text}"\n    channels: {channels}\n'


@pytest.mark.parametrize(
    "text, category, channels, expected",
    [
        ("I'll call you within 48 hours about the gizmo.", "follow-up", "[phone]", "hard-codes a duration"),
        ("I'll call you by 3 pm about the gizmo.", "follow-up", "[phone]", "hard-codes a clock time"),
        ("I'll have an answer on the gizmo by Friday.", "next-steps", "[phone]", "hard-codes a day"),
        ("I'll refund you in full for the gizmo.", "fair-solution", "[phone]", "promises a remedy"),
        ("A $20 credit for the gizmo is yours.", "fair-solution", "[phone]", "hard-codes an amount ('$20')"),
        ("You'll have the gizmo label within the hour.", "next-steps", "[phone]", "hard-codes a duration"),
        ("The courier messed up your gizmo.", "apology", "[phone]", "blames"),
        ("I know you've already checked with your neighbours about the gizmo.", "acknowledge", "[phone]",
         "assumes what the customer did"),
        ("I'm sorry, this gizmo problem was our mistake.", "apology", "[phone]", "admits fault"),
        ("Is there anything else I can help with on the gizmo?", "satisfaction-check", "[phone]",
         "asks whether they are satisfied"),
        ("Sorry the gizmo broke. " * 8, "apology", "[sms]", "too long for sms"),
        ("Sorry the gizmo broke, please reply with your order number and email address.", "apology",
         "[social]", "check --channel social"),
    ],
)  # fmt: skip
def test_strict_reports_a_broken_practice_at_the_phrase(tmp_path, text, category, channels, expected):
    pack = pack_with(tmp_path, phrase("gizmo-broke-x", category, text, channels))
    plain = run("packs", "validate", str(pack))
    assert plain.exit_code == 0
    strict = run("packs", "validate", "--strict", str(pack))
    assert strict.exit_code == 2
    lines = [line for line in strict.stdout.splitlines() if "gizmo-broke-x" in line]
    assert any(expected in line for line in lines), strict.stdout
    assert lines[0].startswith(f"{pack / 'phrases' / 'gizmo.yaml'}:6: gizmo-broke-x: ")


GOOD = {
    "listen": "Tell me what happened with the gizmo from the start; I'm taking notes.",
    "acknowledge": "So the gizmo stopped working a little while after it arrived. Is that right?",
    "apology": "I'm sorry your gizmo stopped working.",
    "empathy": "A gizmo that quits on you is maddening when you rely on it.",
    "ally": "Let's get your gizmo going again together.",
    "ownership": "I'll see this gizmo problem through myself, and thank you for the chance to fix it.",
    "fair-solution": "Would {remedy} be a fair way to put the gizmo right?",
    "next-steps": "Here's what happens next: I'll {next_step}, and you'll hear from me {when}.",
    "satisfaction-check": "Are you satisfied with how we fixed the gizmo, and will you keep shopping with us?",
    "thank-you": "Thank you for your patience while we sorted out the gizmo.",
    "follow-up": "I'll call you {when} to check the gizmo is still working.",
}


def test_a_complete_family_passes_strict_and_a_gap_is_named(tmp_path):
    phrases = "".join(phrase(f"gizmo-broke-{c}", c, t) for c, t in GOOD.items())
    pack = pack_with(tmp_path, phrases)
    result = run("packs", "validate", "--strict", str(pack))
    assert result.exit_code == 0, result.stdout
    short = pack_with(tmp_path / "b", "".join(phrase(f"gizmo-broke-{c}", c, t) for c, t in list(GOOD.items())[:9]))
    result = run("packs", "validate", "--strict", "--json", str(short))
    findings = json.loads(result.stdout)[0]["findings"]
    assert any("family 'gizmo-broke' has no phrase for: follow-up, thank-you" in f["message"] for f in findings)


def test_near_duplicates_within_a_family_are_reported(tmp_path):
    phrases = "".join(phrase(f"gizmo-broke-{c}", c, t) for c, t in GOOD.items())
    phrases += phrase("gizmo-broke-sorry-again", "apology", "I'm so sorry your gizmo stopped working.")
    result = run("packs", "validate", "--strict", str(pack_with(tmp_path, phrases)))
    assert result.exit_code == 2
    assert "gizmo-broke-sorry-again: reads almost the same as gizmo-broke-apology" in result.stdout


def test_family_declarations_are_checked(tmp_path):
    pack = write_tree(
        tmp_path / "team",
        {
            "pack.yaml": "name: team\n",
            "phrases/a.yaml": "family:\n  name: Bad Name\n  sensitive: maybe\n  fault: theirs\nphrases: []\n",
            "phrases/b.yaml": 'phrases:\n  - id: x\n    category: apology\n    text: "Sorry."\n    family: nowhere\n',
        },
    )
    result = run("packs", "validate", str(pack))
    assert result.exit_code == 2
    out = result.stdout
    assert "a.yaml:2:9: invalid family name 'Bad Name'" in out
    assert "a.yaml:3:14: 'sensitive' must be true or false" in out
    assert "a.yaml:4:10: 'fault' must be one of unknown, ours, not 'theirs'" in out
    assert "b.yaml:5:13: unknown family 'nowhere'" in out


def test_families_declared_in_pack_yaml_and_joined_by_phrase(tmp_path):
    pack = write_tree(
        tmp_path / "team",
        {
            "pack.yaml": """
                name: team
                families:
                  widget-jam:
                    title: The widget jams
                    situations: [widget jammed, widget stuck and won't turn]
                phrases:
                  - id: widget-jam-sorry
                    category: apology
                    family: widget-jam
                    text: "I'm sorry your widget keeps jamming."
            """,
        },
    )
    result = run("--path", str(pack), "search", "--json", "--pack", "team", "widget jammed again")
    rows = json.loads(result.stdout)
    assert rows[0]["id"] == "team/widget-jam-sorry" and rows[0]["family"] == "widget-jam"
    listed = json.loads(run("--path", str(pack), "families", "--json").stdout)
    assert any(row["name"] == "widget-jam" and row["phrases"] == 1 for row in listed)
