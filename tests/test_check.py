"""`phrasekit check`: findings a rep sees, exit codes, context, the corpus, and the bank itself."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import read_yaml, write_tree
from phrasekit.check import builtin_rules, check_text
from phrasekit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CORPUS = read_yaml(ROOT / "tests" / "fixtures" / "drafts" / "corpus.yaml")["drafts"]
SAMPLES = {
    "follow-up-email": ("lost-package-email.yaml", "email"),
    "social-reply": ("social-complaint.yaml", "social"),
    "chat-follow-up": ("refund-chat.yaml", "chat"),
    "sms-follow-up": ("late-delivery-sms.yaml", "sms"),
    "callback-script": ("no-show-callback.yaml", "phone"),
}


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def rules():
    return builtin_rules()


@pytest.mark.parametrize("draft", CORPUS, ids=[d["id"] for d in CORPUS])
def test_corpus_draft(draft, rules):
    found = {f.rule for f in check_text(draft["text"], rules, channel=draft["channel"])}
    assert set(draft["must"] or []) <= found
    assert not (set(draft["must_not"] or []) & found)
    if draft["verdict"] == "send":
        assert found == set()


def test_findings_are_lines_with_place_rule_and_suggestion(tmp_path):
    draft = tmp_path / "reply.txt"
    draft.write_text("Hi Dana,\n\nThat's not my department, you'll have to call the courier.\nObviously it's late.\n")
    result = run("check", str(draft))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{draft}:3:8: pass-the-buck passes the customer on instead of owning the problem "
                               '("not my department") (try: ')  # fmt: skip
    assert any(line.startswith(f"{draft}:4:1: condescension ") for line in lines)
    data = json.loads(run("check", "--json", str(draft)).stdout)
    assert {"line", "column", "rule", "message", "suggestion"} <= set(data[0])
    assert data[0]["suggestion"] and data[0]["suggestion_id"].startswith("builtin/")


def test_a_clean_draft_exits_0_and_reads_stdin():
    result = run(
        "check", "-", input="I'm sorry about the wait. I've refunded you today, and it will arrive by Friday.\n"
    )
    assert result.exit_code == 0 and result.stdout == ""
    assert "no findings" in result.stderr
    assert json.loads(run("check", "--json", input="Thanks, I've sorted it.\n").stdout) == []


def test_bad_input_exits_2(tmp_path):
    assert run("check", str(tmp_path / "missing.txt")).exit_code == 2
    assert run("check", "-", input="   \n").exit_code == 2
    (tmp_path / "bin.txt").write_bytes(b"caf\xe9")
    result = run("check", str(tmp_path / "bin.txt"))
    assert result.exit_code == 2 and "UTF-8" in result.stderr


@pytest.mark.parametrize(
    "text, channel",
    [
        ("I just wanted to let you know your parcel left the depot this morning.", "chat"),
        ("I'll phone you back at 3pm today with the answer.", "chat"),
        ("Our returns team has approved it, and the refund goes out today.", "email"),
        ("Please DM us your account number and we'll look into it.", "social"),
        ("Your new PIN arrives by SMS within the hour, sent by UPS tomorrow.", "email"),
    ],
)
def test_context_is_read_not_keywords(text, channel, rules):
    assert check_text(text, rules, channel=channel, kind="reply") == []


def test_follow_up_needs_apology_ownership_next_step_and_thanks(rules):
    bare = "Hi Ann, following up on your case. The ticket is closed.\n"
    found = {f.rule for f in check_text(bare, rules, kind="follow-up")}
    assert found == {"no-apology", "no-ownership", "no-next-step", "no-thanks"}
    full = ("Hi Ann, following up as promised. I'm sorry for the wait. I've refunded the charge and it will "
            "reach you by Friday. Thank you for your patience.\n")  # fmt: skip
    assert check_text(full, rules) == []
    assert {f.rule for f in check_text(bare, rules, kind="reply")} == set()
    # Guessed, a follow-up is what reads as one and is long enough to be one; a one-line check-in is not.
    assert check_text(bare, rules) == []
    long_bare = ("Hi Ann, following up on your case about the router that stopped working last week. The ticket "
                 "is closed now and the case is marked as done in our system.\n")  # fmt: skip
    assert {f.rule for f in check_text(long_bare, rules)} >= {"no-apology", "no-thanks"}


def test_social_and_sms_limits_and_private_details(rules):
    post = "We're sorry, Dana. Your order #48213 to 12 Mill Lane is delayed; email dana@example.com for help."
    found = {f.rule for f in check_text(post, rules, channel="social", kind="reply")}
    assert "private-details" in found
    assert "private-details" not in {f.rule for f in check_text(post, rules, channel="email", kind="reply")}
    long = (
        "We're sorry your order is late. I've asked the depot to put it on the first van tomorrow, and "
        "you'll get a text with the driver's two-hour time window by 8am, so you can plan your day around it."
    )
    assert [f.rule for f in check_text(long, rules, channel="sms", kind="reply")] == ["too-long"]


def test_a_pack_can_ban_its_pet_phrases(tmp_path):
    pack = write_tree(tmp_path / "team", {"pack.yaml": """
        name: team
        avoid:
          - id: no-worries
            pattern: "\\\\bno worries\\\\b"
            reason: sounds casual when the customer is upset
            suggest: apology
        """})  # fmt: skip
    result = run("--path", str(pack), "check", "-", input="No worries, I've refunded it today.\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("-:1:1: no-worries sounds casual when the customer is upset")
    assert "(try: " in result.stdout


def test_packs_validate_checks_avoid_rules(tmp_path):
    pack = write_tree(tmp_path / "team", {"pack.yaml": """
        name: team
        avoid:
          - pattern: "(unclosed"
            reason: broken
          - pattern: "fine"
          - pattern: "ok"
            reason: x
            suggest: apologee
        """})  # fmt: skip
    result = run("packs", "validate", str(pack))
    assert result.exit_code == 2
    out = result.stdout
    assert f"{pack / 'pack.yaml'}:3:14: invalid regular expression '(unclosed'" in out
    assert f"{pack / 'pack.yaml'}:5:5: missing required key 'reason'" in out
    assert "unknown category 'apologee'; did you mean 'apology'?" in out


def test_every_builtin_phrase_passes_the_checker(rules, builtin_pack):
    pack = builtin_pack
    flagged = {}
    from phrasekit.blanks import STANDARD, fill

    for phrase in pack.phrases:
        channel = "social" if phrase.channels == ("social",) else None
        text = fill(phrase.text, {}, lambda name: STANDARD[name].example)  # as the rep fills it
        findings = check_text(text, rules, channel=channel, kind="reply")
        if findings:
            flagged[phrase.id] = [str(f) for f in findings]
    assert flagged == {}


@pytest.mark.parametrize("template", SAMPLES)
def test_every_builtin_template_passes_the_checker(template):
    case, channel = SAMPLES[template]
    rendered = run("render", template, "--case", str(ROOT / "examples" / case)).stdout
    result = run("check", "--channel", channel, "-", input=rendered)
    assert result.exit_code == 0, result.stdout


def test_a_pack_rule_that_could_stall_is_skipped_with_one_warning_not_run():
    """A cache written by an older phrasekit (or a pack read through the library) may still hold a
    pattern that validation now refuses: check leaves that rule out, says so once, and runs the rest."""
    from phrasekit.check import pack_rules
    from phrasekit.model import Pack

    pack = Pack(name="team", path="/packs/team/pack.yaml", origin="", avoid=[
        {"pattern": "(a+)+$", "reason": "slow"},
        {"pattern": "\\bno worries\\b", "reason": "casual"},
    ])  # fmt: skip
    warnings: list[str] = []
    rules = pack_rules([pack], warnings.append)
    assert [r.id for r in rules] == ["team/avoid-2"]
    assert warnings == [
        "/packs/team/pack.yaml: regular expression '(a+)+$' refused: a repeat inside a repeat (like (a+)+ or "
        "(.*a){20}) can take exponential time; repeat the inner part once (a+ instead of (a+)+) or bound it "
        "([^.]{0,40} instead of .*); this rule of pack 'team' is skipped (run `phrasekit packs validate "
        "/packs/team/pack.yaml`)"
    ]
    found = check_text("No worries! " + "a" * 36 + "!", rules, kind="reply")
    assert [f.rule for f in found] == ["team/avoid-2"]


def test_a_pack_with_a_stalling_pattern_loads_without_that_rule_and_says_so(tmp_path):
    """Only the refused rule is left out: the pack's other rules (with the ids of their places)
    and its phrases still work, and the warning names the pattern's line and column."""
    pack = write_tree(tmp_path / "team", {"pack.yaml": """
        name: team
        avoid:
          - pattern: '(a+)+$'
            reason: slow
          - pattern: '\\bno worries\\b'
            reason: sounds casual
        phrases:
          - id: wait
            category: apology
            text: "Sorry about the wait."
        """})  # fmt: skip
    result = CliRunner().invoke(cli, ["--path", str(pack), "check", "-"], input="No worries! " + "a" * 20 + "!\n")
    assert result.exit_code == 1
    assert result.stdout.startswith('-:1:1: team/avoid-2 sounds casual ("No worries")')
    assert (f"warning: {pack}: 1 problem(s) that do not stop it loading; first: {pack / 'pack.yaml'}:3:14: "
            "regular expression '(a+)+$' refused: a repeat inside a repeat") in result.stderr  # fmt: skip
    assert run("--path", str(pack), "show", "team/wait").stdout.startswith("team/wait\nSorry about the wait.")


def test_long_drafts_read_as_short_ones_do():
    """Sentences, lines and quotes are found once for the whole draft: the findings of a long
    draft of different copies are those of each copy at its place."""
    rules = builtin_rules()

    def copy(n: int) -> str:
        return f'As I said, "call back later" is not our policy {n:03}.\nWe will sort it soon {n:03}!!\n\n'

    one = [(f.rule, f.location.line, f.location.column) for f in check_text(copy(0), rules, kind="reply")]
    many = [f for f in check_text("".join(map(copy, range(300))), rules, kind="reply") if f.rule != "repetition"]
    assert one == [("condescension", 1, 1), ("vague-time", 2, 17), ("shouting", 2, 25)]
    assert [(f.rule, f.location.line - 3 * (n // 3), f.location.column) for n, f in enumerate(many)] == one * 300


def test_a_sentence_said_again_is_one_problem_and_the_repetition():
    """One finding per problem, not per repeat: the second time a sentence is said, it is the
    repetition finding's, not its rules' again."""
    draft = "The courier clearly did not read your notes. I have rebooked you for Friday.\n" * 3
    found = [f.rule for f in check_text(draft, builtin_rules(), kind="reply")]
    assert found.count("blame") == 1 and "repetition" in found


def test_a_draft_with_hidden_characters_says_so_and_its_words_are_still_read(tmp_path):
    """An escape sequence around "calm down" hid it from the rules; every hidden character is
    named at its place, and the rules read the words around the codes."""
    draft = tmp_path / "draft.txt"
    draft.write_text("Hi Dana,\nPlease \x1b[31mcalm down\x1b[0m.\nThanks for wa\u200biting.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--json", str(draft)])
    assert result.exit_code == 1
    found = [(f["rule"], f["line"], f["column"]) for f in json.loads(result.stdout)]
    assert ("hidden-character", 2, 8) in found and ("hidden-character", 2, 22) in found
    assert ("hidden-character", 3, 14) in found
    assert any(rule == "condescension" for rule, _, _ in found)
    text = CliRunner().invoke(cli, ["check", str(draft)]).stdout
    assert "U+001B ESCAPE (shown as \\x1b)" in text and "\x1b" not in text


# --- the rules as the index keeps them (issue 15: a cold check near the floor) ------------------

PARSE_WATCH = """
import json, sys
import re._parser as parser
parsed = []
real = parser.parse
def parse(text, *args, **kwargs):
    parsed.append(str(text))
    return real(text, *args, **kwargs)
parser.parse = parse
from phrasekit.cli import cli
try:
    cli({args!r})
except SystemExit:
    pass
print(json.dumps([parsed, "yaml" in sys.modules]), file=sys.stderr)
"""


def _parsed_by_check(args: list[str], home: Path, cwd: Path) -> tuple[set[str], bool, str]:
    """The regular expressions a fresh interpreter parses running ``phrasekit ARGS``, whether it
    imported yaml, and its standard output."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(home / ".cache"), "HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", PARSE_WATCH.format(args=args)], env=env, capture_output=True,
                          text=True, check=True, cwd=cwd)  # fmt: skip
    parsed, yaml_loaded = json.loads(done.stderr.strip().splitlines()[-1])
    return set(parsed), yaml_loaded, done.stdout


def test_a_check_with_a_current_index_reads_no_yaml_and_compiles_only_rules_the_draft_may_match(
    isolated_home, tmp_path
):
    """The rules are parsed and checked once, when the index is built, which keeps the words a
    match of each needs: a check reads them from the index (parsing them all was most of a short
    check's time, and reading rules.yaml loaded the YAML parser) and compiles only the patterns
    whose words the draft holds."""
    text = "Sorry for any inconvenience. Calm down, as per our policy we can't do anything.\n"
    draft = tmp_path / "draft.txt"
    draft.write_text(text)
    needs = {}
    for rule in builtin_rules():
        for group in (rule.match, rule.unless, rule.require):
            needs.update(zip(group.sources, (one.needs for one in group.parsed()), strict=True))
    parsed, yaml_loaded, output = _parsed_by_check(["check", str(draft)], isolated_home, tmp_path)
    assert "condescension" in output and "Calm down" in output
    assert not yaml_loaded
    compiled = parsed & set(needs)
    assert compiled and len(compiled) < len(needs) / 4
    assert all(needs[p] is None or any(word in text.lower() for word in needs[p]) for p in compiled)


def test_a_check_from_the_index_says_what_the_check_that_built_it_said(tmp_path):
    """Findings, suggestions and the warning about a pack rule left out are the same on the run
    that builds the index and on every run after it."""
    pack = write_tree(tmp_path / "team", {"pack.yaml": """
        name: team
        avoid:
          - pattern: '(a+)+$'
            reason: slow
          - id: no-worries
            pattern: '\\bno worries\\b'
            reason: sounds casual
            suggest: apology
          - pattern: '\\bASAP\\b'
            reason: is not a time
            unless: ['by \\d']
        phrases:
          - id: wait
            category: apology
            text: "Sorry about the wait for your parcel."
            situations: [parcel late]
        """})  # fmt: skip
    draft = "No worries, the parcel will come ASAP. Calm down.\n" + "a" * 30 + "!\n"
    first = CliRunner().invoke(cli, ["--path", str(pack), "check", "-"], input=draft)
    again = [CliRunner().invoke(cli, ["--path", str(pack), "check", "-"], input=draft) for _ in range(2)]
    assert first.exit_code == 1 and "no-worries sounds casual" in first.stdout and "team/avoid-3" in first.stdout
    assert "'(a+)+$' refused" in first.stderr
    for result in again:
        assert (result.exit_code, result.stdout, result.stderr) == (first.exit_code, first.stdout, first.stderr)


def test_rules_kept_in_the_index_find_what_the_rules_files_find():
    """The rules as the index keeps them (no parsing at check time) give the very findings of the
    rules read from rules.yaml, on every draft of the corpus."""
    from phrasekit.catalogue import open_index
    from phrasekit.check import rules_in_force

    kept = rules_in_force(open_index(()))
    read = builtin_rules()  # read once, as the kept rules are: both are used for every draft
    assert [rule.id for rule in kept] == [rule.id for rule in read]
    for rule, original in zip(kept, read, strict=True):
        assert list(rule.match) == list(original.match) and list(rule.unless) == list(original.unless)
    for draft in CORPUS:
        found = check_text(draft["text"], kept, channel=draft["channel"])
        assert found == check_text(draft["text"], read, channel=draft["channel"])


@pytest.mark.parametrize(
    "draft",
    [
        "Hi Lewis, thanks for checking in. I've confirmed the refund of £64.99 for your order left us on Monday "
        "and it should show on your card within three to five working days, which is normal for card refunds.",
        "As discussed on the phone, I've reset your router from our side. It can take up to ten minutes to "
        "connect again, so leave it switched on and it will pick up the new settings by itself.",
    ],
)
def test_the_customers_check_in_and_a_call_recap_are_read_as_replies(draft):
    result = CliRunner().invoke(cli, ["check", "-"], input=draft + "\n")
    assert "(read as a reply, guessed)" in result.output
    assert "no-apology" not in result.output and "no-thanks" not in result.output


@pytest.mark.parametrize(
    "draft",
    [
        "Hi Lara, that date mix-up shouldn't have happened. I've fixed it: 12-14 May, ref HB4471. Confirmation "
        "email in the next hour. Cheers for bearing with me! Ines, Harbour Hotel",
        "We're sorry to everyone still without power after the storm. Our crews are restoring the last homes now, "
        "and we expect everyone back on by 8pm tonight. Thank you for your patience.",
        "Apologies for the mix-up with your order. You ordered a 7 and we sent a 5, which is our mistake. The right "
        "pair left our warehouse today, so you should have them tomorrow before 6pm. Thanks for telling us.",
    ],
)
def test_a_complete_follow_up_in_fresh_words_has_no_finding(draft):
    result = CliRunner().invoke(cli, ["check", "--kind", "follow-up", "-"], input=draft + "\n")
    assert result.exit_code == 0, result.output


def test_a_follow_up_whose_next_step_has_no_time_has_no_next_step():
    untimed = (
        "Sorry your new router hasn't arrived, Sam. I've chased the warehouse myself and we'll update you "
        "as soon as we hear. Thanks for bearing with us."
    )
    timed = (
        "Sorry your new router hasn't arrived, Sam. I've chased the warehouse myself and it will be with you "
        "Saturday morning. Thanks for bearing with us."
    )
    found = CliRunner().invoke(cli, ["check", "--kind", "follow-up", "-"], input=untimed + "\n").output
    assert "no-next-step" in found
    assert CliRunner().invoke(cli, ["check", "--kind", "follow-up", "-"], input=timed + "\n").exit_code == 0


def test_a_time_that_only_reports_chasing_is_no_next_step():
    chased = (
        "Hi Fionn, following up on your lost laptop from Terminal 2. I'm sorry it's been a worry. "
        "I checked with lost property this morning and it hasn't been handed in yet. Thanks for your patience."
    )
    promised = chased.replace("yet.", "yet, so I'll check again and email you by 4pm tomorrow.")
    found = CliRunner().invoke(cli, ["check", "--kind", "follow-up", "--json", "-"], input=chased + "\n")
    assert "no-next-step" in {f["family"] for f in json.loads(found.stdout)}
    again = CliRunner().invoke(cli, ["check", "--kind", "follow-up", "--json", "-"], input=promised + "\n")
    assert "no-next-step" not in {f["family"] for f in json.loads(again.stdout or "[]")}


def test_a_follow_up_that_has_already_put_it_right_needs_no_further_date():
    done = (
        "Hi Yasmin, following up on last night's order that went to the wrong address. I'm really sorry you went "
        "without dinner. I've refunded the full £31.50 and added a £10 credit. Thanks for bearing with us."
    )
    result = CliRunner().invoke(cli, ["check", "--kind", "follow-up", "--json", "-"], input=done + "\n")
    assert "no-next-step" not in {f["family"] for f in json.loads(result.stdout or "[]")}


def test_each_private_detail_in_a_public_post_is_named_once():
    post = "Hi Sarah, we've found your order under sarah.kemp@gmail.com and 14 Elm Road, Leeds. It ships today.\n"
    result = CliRunner().invoke(cli, ["check", "--channel", "social", "--json", "-"], input=post)
    shown = [f["excerpt"] for f in json.loads(result.stdout) if f["family"] == "private-details"]
    assert shown == ["sarah.kemp@gmail.com", "14 Elm Road"]


def test_a_refusal_that_transfers_the_customer_is_one_finding_the_buck():
    draft = "I can't help with that here, I'm going to transfer you to billing.\n"
    result = CliRunner().invoke(cli, ["check", "--channel", "chat", "--json", "-"], input=draft)
    assert [f["family"] for f in json.loads(result.stdout)] == ["pass-the-buck"]


def test_shorthand_is_read_as_the_words_it_stands_for_and_shown_where_it_was_typed():
    draft = "Line one is fine.\nthx, can u send ur PIN pls\n"
    result = CliRunner().invoke(cli, ["check", "--channel", "chat", "--json", "-"], input=draft)
    [secret] = [f for f in json.loads(result.stdout) if f["family"] == "asks-secret"]
    assert (secret["line"], secret["column"], secret["excerpt"]) == (2, 20, "PIN")
    assert secret["sentence"] == "thanks, can you send your PIN please"
    sms = "We'll let u know once it's on its way. Thx, Loom & Co\n"
    found = CliRunner().invoke(cli, ["check", "--channel", "sms", "--json", "-"], input=sms)
    assert [f["family"] for f in json.loads(found.stdout)] == ["vague-time"]
    assert CliRunner().invoke(cli, ["check", "-"], input="R&D said thx, all sorted by 3pm.\n").exit_code == 0


def test_several_drafts_are_checked_in_one_call_each_under_its_own_name(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Sorry for any inconvenience.\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("Your refund is on its way and will reach you by Friday.\n", encoding="utf-8")
    result = run("check", str(bad), str(good))
    assert result.exit_code == 1
    assert f"{bad}:1:1: non-apology" in result.stdout
    assert f"{bad}: 1 finding(s)" in result.stderr and f"{good}: no findings" in result.stderr
    assert run("check", str(good), str(good)).exit_code == 0
    findings = json.loads(run("check", "--json", str(good), str(bad)).stdout)
    assert [finding["path"] for finding in findings] == [str(bad)]


def test_a_missing_draft_among_several_ends_in_one_error_before_any_is_reported(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Your refund is on its way and will reach you by Friday.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(good), str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert "missing.txt" in result.stderr and "no findings" not in result.stderr


def test_reading_from_a_terminal_says_how_to_end_the_draft(monkeypatch):
    monkeypatch.setattr("phrasekit.cli._stdin_is_terminal", lambda: True)
    result = CliRunner().invoke(cli, ["check"], input="Sorry for any inconvenience.\n")
    assert result.exit_code == 1 and "press Ctrl-D" in result.stderr
    monkeypatch.setattr("phrasekit.cli._stdin_is_terminal", lambda: False)
    piped = CliRunner().invoke(cli, ["check"], input="Sorry for any inconvenience.\n")
    assert piped.exit_code == 1 and "Ctrl-D" not in piped.stderr


@pytest.mark.parametrize("template", ["follow-up-email", "chat-follow-up"])
def test_a_rendered_follow_up_reads_as_a_follow_up_and_passes(template):
    case = Path(__file__).resolve().parent.parent / "examples" / "lost-package-email.yaml"
    rendered = CliRunner().invoke(cli, ["render", template, "--case", str(case), "--no-prompt"])
    assert rendered.exit_code == 0, rendered.output
    checked = CliRunner().invoke(cli, ["check", "-"], input=rendered.stdout)
    assert checked.exit_code == 0, checked.output
    assert "no findings (read as a follow-up, guessed)" in checked.stderr


def test_several_drafts_open_the_index_once_and_a_pack_warning_is_said_once(tmp_path):
    broken = tmp_path / "broken"
    write_tree(broken, {"pack.yaml": "name: broken\nversion: [\n"})
    drafts = []
    for number in range(3):
        draft = tmp_path / f"d{number}.txt"
        draft.write_text("Thanks, it ships today.\n", encoding="utf-8")
        drafts.append(str(draft))
    result = CliRunner().invoke(cli, ["--path", str(broken), "check", *drafts])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "skipped" in warnings[0], result.stderr
    assert result.stderr.count("no findings") == 3


def test_words_said_twice_are_said_once_and_nothing_from_the_bank_replaces_them():
    twice = "I'll call you tomorrow at 10am to go through the new quote. " * 2
    result = CliRunner().invoke(cli, ["check", "--json", "-"], input=twice + "\n")
    [finding] = json.loads(result.stdout)
    assert finding["family"] == "repetition" and finding["message"] == "says the same words twice; say them once"
    assert finding["suggestion"] is None and finding["suggestion_id"] is None
    stock = "I understand your frustration. I understand your frustration, and I'm on it today.\n"
    [scripted] = json.loads(CliRunner().invoke(cli, ["check", "--json", "-"], input=stock).stdout)
    assert scripted["message"].startswith("repeats a stock phrase") and scripted["suggestion_id"]


def test_an_empty_draft_is_named_like_any_bad_file(tmp_path):
    empty, full = tmp_path / "empty.txt", tmp_path / "reply.txt"
    empty.write_text("  \n", encoding="utf-8")
    full.write_text("I've refunded you today.\n", encoding="utf-8")
    for args in ([str(empty)], [str(full), str(empty)]):
        result = CliRunner().invoke(cli, ["check", *args])
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert f"Error: {empty}: the draft is empty\nWrite the reply in the file" in result.stderr
    piped = CliRunner().invoke(cli, ["check", "-"], input="\n")
    assert piped.exit_code == 2 and "Error: the draft is empty\nPaste or pipe the reply in." in piped.stderr
