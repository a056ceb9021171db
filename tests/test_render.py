"""Rendering follow-ups, as a rep runs it: output, exit codes, JSON, files written."""

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from phrasekit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SAMPLES = {
    "follow-up-email": "lost-package-email.yaml",
    "social-reply": "social-complaint.yaml",
    "chat-follow-up": "refund-chat.yaml",
    "sms-follow-up": "late-delivery-sms.yaml",
    "callback-script": "no-show-callback.yaml",
}


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def make_pack(root: Path, templates: dict[str, str], name: str = "team") -> Path:
    pack = root / name
    (pack / "templates").mkdir(parents=True)
    (pack / "pack.yaml").write_text(f"name: {name}\n")
    for file, text in templates.items():
        (pack / "templates" / file).write_text(text)
    return pack


def front(name, channel="email", fields="", limit=""):
    return f"---\nname: {name}\nchannel: {channel}\n{limit}fields:\n{fields or '  - agent.name'}\n---\n"


@pytest.mark.parametrize("template", SAMPLES)
def test_every_builtin_template_renders_from_its_sample_case(template):
    case = yaml.safe_load((EXAMPLES / SAMPLES[template]).read_text())
    result = run("render", template, "--case", str(EXAMPLES / SAMPLES[template]), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["template"] == template and data["length"] == len(data["body"])
    body = data["body"]
    assert "{{" not in body and "{%" not in body
    assert case["agent"]["name"].split()[0] in body
    assert data["phrases"] and all("/" in pid for pid in data["phrases"])
    if data["limit"]:
        assert data["length"] <= data["limit"]
    assert run("render", template, "--case", str(EXAMPLES / SAMPLES[template])).stdout.endswith(body)


def test_email_has_subject_and_the_steps_of_the_practice():
    data = json.loads(run("render", "follow-up-email", "--case", str(EXAMPLES / SAMPLES["follow-up-email"]),
                          "--json").stdout)  # fmt: skip
    assert data["subject"] == "Case 48213: what we've done and what happens next"
    body = data["body"]
    assert body.startswith("Hi Dana,\n")
    assert "sorry" in body.lower()
    assert "by 5 pm today" in body
    assert body.rstrip().endswith("Northwind Goods")
    assert data["family"] == "lost-package"
    assert data["phrases"] and all(p.startswith("builtin/lost-package-") for p in data["phrases"])


def test_social_reply_never_shows_private_details():
    result = run("render", "social-reply", "--case", str(EXAMPLES / SAMPLES["social-reply"]), "--json")
    body = json.loads(result.stdout)["body"]
    assert "example.com" not in body and "7946" not in body
    assert body.startswith("@jordanlee ")
    assert re.search(r"\bDM\b|direct message|private message", body)
    assert len(re.findall(r"\bDM\b|direct message|private message", body)) == 1


def test_rendering_is_deterministic():
    args = ("render", "chat-follow-up", "--case", str(EXAMPLES / SAMPLES["chat-follow-up"]))
    assert run(*args).stdout == run(*args).stdout


def test_missing_fields_are_all_listed_when_not_interactive():
    result = run("render", "follow-up-email", "--no-prompt", "--set", "case.issue=late delivery")
    assert result.exit_code == 2
    assert "missing 4 required field(s)" in result.stderr
    for name in ("customer.first_name", "case.resolution", "agent.name", "company.name"):
        assert f"  {name}: " in result.stderr
    assert "case.issue" not in result.stderr.split("missing")[1].split("Give them")[0]
    assert result.stdout == ""


def test_prompts_for_missing_fields_with_their_help():
    answers = "Dana\nI've sent a replacement.\nSam\nNorthwind\n"
    result = run("render", "follow-up-email", "--prompt", "--set", "case.issue=late delivery", input=answers)
    assert result.exit_code == 0, result.output
    assert "customer.first_name (The customer's first name, for the greeting)" in result.stderr
    assert "Hi Dana," in result.stdout and "I've sent a replacement." in result.stdout


def test_prompts_only_on_a_terminal_by_default(monkeypatch):
    monkeypatch.setattr("phrasekit.cli._is_interactive", lambda: True)
    result = run("render", "chat-follow-up", "--case", str(EXAMPLES / "refund-chat.yaml"),
                 "--set", "customer.name=", "--set", "customer.first_name=", input="Alex\n")  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout.startswith("Hi Alex, it's Chris")


def test_set_overrides_case_and_config(isolated_home):
    config = isolated_home / ".config" / "phrasekit" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("agent:\n  name: Config Agent\ncompany:\n  name: Config Co\nsignature: Care team, 8-6\n")
    base = ["render", "follow-up-email", "--set", "customer.name=Dana Reyes", "--set", "case.issue=refund delay",
            "--set", "case.resolution=Refunded today."]  # fmt: skip
    out = run(*base).stdout
    assert "Hi Dana," in out and "Config Agent\nConfig Co\nCare team, 8-6\n" in out
    out = run(*base, "--set", "agent.name=Override").stdout
    assert "Override\nConfig Co" in out
    assert run("config", "path").stdout.strip() == str(config)
    assert "Config Agent" in run("config", "show").stdout
    assert json.loads(run("config", "show", "--json").stdout)["company"] == {"name": "Config Co"}


def test_config_show_without_a_file_says_how_to_create_one():
    result = run("config", "show")
    assert result.exit_code == 0 and "No config file yet" in result.stdout


def test_case_values_are_data_not_template_code():
    result = run("render", "chat-follow-up", "--case", str(EXAMPLES / "refund-chat.yaml"),
                 "--set", "case.resolution={{ 7 * 7 }} {% if 1 %}x{% endif %}")  # fmt: skip
    assert "{{ 7 * 7 }} {% if 1 %}x{% endif %}" in result.stdout
    assert "49" not in result.stdout


@pytest.mark.parametrize(
    "content, message",
    [
        ("customer: [a\n", "2:1: YAML syntax error"),
        ("- just\n- a list\n", "1:1: the case file must be a mapping"),
        ("customer: Dana\n", "1:11: 'customer' must be a mapping of details, not a string"),
        ("case:\n  issue: [late, lost]\n", "2:10: 'case.issue' must be text, not a list"),
    ],
)
def test_bad_case_files_name_file_line_and_column(tmp_path, content, message):
    case = tmp_path / "case.yaml"
    case.write_text(content)
    result = run("render", "sms-follow-up", "--case", str(case))
    assert result.exit_code == 2
    assert f"{case}:{message}" in result.stderr
    assert "Traceback" not in result.output


def test_bad_json_case_file(tmp_path):
    case = tmp_path / "case.json"
    case.write_text('{"customer": {"name": "Dana",}}')
    result = run("render", "sms-follow-up", "--case", str(case))
    assert result.exit_code == 2
    assert f"{case}:1:30: JSON syntax error" in result.stderr


def test_bad_set_and_unknown_template():
    assert "write KEY=VALUE" in run("render", "sms-follow-up", "--set", "nokey").stderr
    result = run("render", "folow-up-email")
    assert result.exit_code == 2
    assert "no template named 'folow-up-email'" in result.stderr and "follow-up-email" in result.stderr


def test_over_the_channel_limit_stops_unless_allowed():
    long_name = "P" * 250
    args = ["render", "social-reply", "--set", "case.issue=late delivery", "--set", f"agent.name={long_name}"]
    result = run(*args)
    assert result.exit_code == 2
    assert re.search(r"the social text is \d+ characters, over the limit of 280", result.stderr)
    assert result.stdout == ""
    allowed = run(*args, "--allow-long")
    assert allowed.exit_code == 0 and long_name in allowed.stdout


def test_pick_chooses_the_phrase():
    result = run("render", "chat-follow-up", "--case", str(EXAMPLES / "refund-chat.yaml"),
                 "--pick", "sorry-core", "--json")  # fmt: skip
    data = json.loads(result.stdout)
    assert "builtin/sorry-core" in data["phrases"]
    assert "I'm sorry." in data["body"]
    assert run("render", "chat-follow-up", "--case", str(EXAMPLES / "refund-chat.yaml"),
               "--pick", "nope").exit_code == 2  # fmt: skip


def test_output_is_written_atomically_and_never_overwritten_without_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()  # render writes into a folder that exists (it makes none)
    target = out / "reply.txt"
    args = ["render", "sms-follow-up", "--case", str(EXAMPLES / "late-delivery-sms.yaml"), "-o", str(target)]
    first = run(*args)
    assert first.exit_code == 0
    assert target.read_text().startswith("Hi Mia, Sam from Northwind.")
    target.write_text("my own notes")
    refused = run(*args)
    assert refused.exit_code == 2 and "file exists" in refused.stderr and "--force" in refused.stderr
    assert target.read_text() == "my own notes"
    assert run(*args, "--force").exit_code == 0
    assert target.read_text().startswith("Hi Mia")
    assert [p.name for p in out.iterdir()] == ["reply.txt"]


def test_a_pack_template_overrides_the_builtin_one(tmp_path):
    pack = make_pack(
        tmp_path, {"sms-follow-up.jinja": front("sms-follow-up", "sms") + "Team SMS from {{ agent.name }}\n"}
    )
    listing = run("--path", str(pack), "templates", "list").stdout
    line = next(line for line in listing.splitlines() if line.startswith("sms-follow-up"))
    assert "team (overrides builtin)" in line
    result = run("--path", str(pack), "render", "sms-follow-up", "--set", "agent.name=Sam")
    assert result.stdout == "Team SMS from Sam\n"
    shown = run("--path", str(pack), "templates", "show", "sms-follow-up").stdout
    assert "source: team: " in shown and "overrides builtin: " in shown


def test_templates_show_lists_fields():
    result = run("templates", "show", "sms-follow-up")
    assert "(sms, at most 160 characters)" in result.stdout
    assert re.search(r"case\.when\s+optional, default ''", result.stdout)
    data = json.loads(run("templates", "show", "--json", "social-reply").stdout)
    assert data["limit"] == 280 and data["pack"] == "builtin"


@pytest.mark.parametrize(
    "body",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ agent.__class__.__init__.__globals__ }}",
        "{{ phrase.__globals__['os'].system('touch PWNED') }}",
        "{% for c in ''.__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_templates_reaching_for_python_internals_are_refused(tmp_path, body, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pack = make_pack(tmp_path, {"evil.jinja": front("evil") + body + "\n"})
    result = run("--path", str(pack), "render", "evil", "--set", "agent.name=Sam")
    assert result.exit_code == 2
    assert "refused" in result.stderr and "Python internals" in result.stderr
    assert not (tmp_path / "PWNED").exists()
    assert "Traceback" not in result.output


def test_templates_cannot_include_files_or_escape_their_pack(tmp_path):
    outside = tmp_path / "outside.jinja"
    outside.write_text(front("outside") + "secret\n")
    pack = make_pack(tmp_path, {"inc.jinja": front("inc") + "{% include '/etc/hostname' %}\n"})
    (pack / "templates" / "outside.jinja").symlink_to(outside)
    result = run("--path", str(pack), "render", "inc", "--set", "agent.name=Sam")
    assert result.exit_code == 2 and "Traceback" not in result.output
    listing = run("--path", str(pack), "templates", "list")
    assert "outside" not in listing.stdout
    assert "points outside its pack" in listing.stderr


def test_a_public_template_that_prints_private_details_is_refused(tmp_path):
    fields = "  - agent.name\n  - customer.email\n"
    pack = make_pack(tmp_path, {"leaky.jinja": front("leaky", "social", fields) + "Mail {{ customer.email }}\n"})
    result = run("--path", str(pack), "render", "leaky", "--set", "agent.name=Sam",
                 "--set", "customer.email=dana@example.com")  # fmt: skip
    assert result.exit_code == 2
    assert "refused: this public reply would show customer.email" in result.stderr


def test_broken_template_reports_its_line(tmp_path):
    pack = make_pack(tmp_path, {"bad.jinja": front("bad") + "line one\n{% if %}\n"})
    result = run("--path", str(pack), "render", "bad", "--set", "agent.name=Sam")
    assert result.exit_code == 2
    assert f"{pack / 'templates' / 'bad.jinja'}:8: template syntax error" in result.stderr


def test_phrases_come_from_the_cases_family_and_are_named_on_stderr():
    result = run("render", "follow-up-email", "--case", str(EXAMPLES / SAMPLES["follow-up-email"]),
                 "--set", "case.issue=late delivery, paid for next-day shipping")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "delivered when it never" not in result.stdout and "shows as delivered" not in result.stdout
    used = result.stderr.strip().splitlines()[-1]
    assert used.startswith("phrases: builtin/late-delivery-") and used.endswith("(the issue is late-delivery)")


def test_an_issue_with_no_family_gets_the_general_phrases(builtin_pack):
    result = run("render", "follow-up-email", "--case", str(EXAMPLES / SAMPLES["follow-up-email"]),
                 "--set", "case.issue=the music in our store was too loud", "--json")  # fmt: skip
    data = json.loads(result.stdout)
    assert data["family"] is None
    general = {f"builtin/{p.id}" for p in builtin_pack.phrases if p.general}
    assert data["phrases"] and set(data["phrases"]) <= general


def test_a_blank_the_case_leaves_open_stops_or_is_asked_for(tmp_path):
    body = 'Hi.\n{{ phrase("next-steps") }}\n'
    pack = make_pack(tmp_path, {"next.jinja": front("next-note", "email", "  - agent.name\n  - case.issue") + body})
    base = ["--path", str(pack), "render", "next-note", "--set", "agent.name=Sam", "--set", "case.issue=refund delay"]
    stopped = run(*base, "--no-prompt")
    assert stopped.exit_code == 2
    assert "the chosen phrases leave" in stopped.stderr and "when: when it will happen" in stopped.stderr
    assert stopped.stdout == ""
    asked = run(*base, "--prompt", "--set", "case.next_step=chase the refund",
                input="by 5 pm today\nby email\nchase it\nour payments team\n")  # fmt: skip
    assert asked.exit_code == 0, asked.output
    assert "by 5 pm today" in asked.stdout and "[" not in asked.stdout and "{" not in asked.stdout
    filled = run(*base, "--no-prompt", "--set", "when=by noon", "--set", "case.next_step=chase the refund",
                 "--set", "case.channel=by email", "--set", "case.team=our payments team")  # fmt: skip
    assert filled.exit_code == 0, filled.output
    assert "by noon" in filled.stdout and "{" not in filled.stdout and "[when]" not in filled.stdout


@pytest.mark.parametrize(
    "name, first", [("Mrs Clara Wu", "Clara"), ("Dr. Ahmed Khan", "Ahmed"), ("Mr Smith", "Mr Smith"), ("Dana", "Dana")]
)
def test_the_greeting_uses_the_first_name_past_a_title(name, first):
    result = run("render", "sms-follow-up", "--case", str(EXAMPLES / SAMPLES["sms-follow-up"]),
                 "--set", f"customer.name={name}", "--set", "customer.first_name=", "--json")  # fmt: skip
    assert json.loads(result.stdout)["body"].startswith(f"Hi {first}, ")


def test_a_teams_own_phrase_for_the_issue_comes_first_then_the_family(prebuilt_index):
    acme = ROOT / "tests" / "fixtures" / "packs" / "acme"
    prebuilt_index(acme)  # only read here, as by test_cli's searches: its index built once per run
    result = run("--path", str(acme), "render", "follow-up-email", "--case", str(EXAMPLES / SAMPLES["follow-up-email"]),
                 "--set", "case.issue=late delivery, order delayed", "--json")  # fmt: skip
    data = json.loads(result.stdout)
    assert data["phrases"][0] == "acme-support/late-delivery-sorry"
    assert data["family"] == "late-delivery"
    assert all(p.startswith(("acme-support/", "builtin/late-delivery-")) for p in data["phrases"])


@pytest.mark.parametrize(
    "name, text",
    [
        ("deep.json", '{"customer": {"first_name": "Dana"}, "deep": ' + '{"a": ' * 5000 + '"x"' + "}" * 5000 + "}"),
        ("deep.yaml", "customer: {first_name: Dana}\ndeep: " + "[" * 3000 + "x" + "]" * 3000 + "\n"),
    ],
)
def test_a_case_file_nested_too_deeply_is_a_clear_error(tmp_path, isolated_home, name, text):
    case = tmp_path / name
    case.write_text(text)
    result = CliRunner().invoke(cli, ["render", "follow-up-email", "--case", str(case), "--no-prompt"])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {case}")
    assert "nested" in result.output and "Traceback" not in result.output


def test_a_file_name_too_long_for_the_system_is_a_clear_error(tmp_path, isolated_home):
    target = tmp_path / ("x" * 300 + ".txt")
    result = CliRunner().invoke(
        cli, ["render", "follow-up-email", "--case", str(EXAMPLES / "lost-package-email.yaml"), "--no-prompt",
              "-o", str(target)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "File name too long" in result.output and "bug" not in result.output
    made = CliRunner().invoke(cli, ["packs", "new", "team", str(tmp_path / ("y" * 300))])
    assert made.exit_code == 2 and "File name too long" in made.output


def test_a_template_over_its_budget_names_the_line_it_stopped_at(tmp_path):
    loops = "{% for a in s %}{% for b in s %}{% for c in s %}{% endfor %}{% endfor %}{% endfor %}"
    body = "Hi {{ agent.name }},\n{% set s = 'x' * 1000 %}\n" + loops + "\n"
    pack = make_pack(tmp_path, {"slow.jinja": front("slow") + body})
    result = run("--path", str(pack), "render", "slow", "--set", "agent.name=Sam")
    assert result.exit_code == 2
    where = pack / "templates" / "slow.jinja"
    assert result.stderr.startswith(f"Error: {where}:9: the template took over 2,000,000 steps")
    assert "Look for loops inside loops" in result.stderr


def test_an_ordinary_long_template_renders_within_its_budget(tmp_path):
    """A thousand order lines, with loops, a macro, filters, formatting and comparisons."""
    body = (
        "{% macro line(item) %}{{ '%-12s' | format(item.sku) }} {{ item.name | title }} x{{ item.qty }}"
        "{% if item.qty > 1 %} ({{ '{:.2f}'.format(item.price * item.qty) }}){% endif %}{% endmacro %}"
        "Order for {{ agent.name ~ '!' }}\n"
        "{% for item in order.lines | sort(attribute='sku') %}{{ loop.index }}. {{ line(item) }}\n{% endfor %}"
        "{{ order.lines | map(attribute='qty') | sum }} items\n"
    )
    case = tmp_path / "case.yaml"
    lines = [{"sku": f"SKU-{i:05d}", "name": f"blue widget {i}", "qty": i % 3 + 1, "price": 2.5} for i in range(1000)]
    case.write_text(yaml.safe_dump({"agent": {"name": "Sam"}, "order": {"lines": lines}}))
    pack = make_pack(tmp_path, {"order.jinja": front("order") + body})
    result = run("--path", str(pack), "render", "order", "--case", str(case))
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert out[0] == "Order for Sam!" and len(out) == 1002
    assert out[1] == "1. SKU-00000    Blue Widget 0 x1" and out[2] == "2. SKU-00001    Blue Widget 1 x2 (5.00)"
    assert out[-1] == f"{sum(item['qty'] for item in lines)} items"


PRIVATE_FIELDS = "  - agent.name\n  - customer.address\n  - customer.phone\n  - customer.email\n"
PRIVATE_CASE = (
    "--set", "agent.name=Sam", "--set", "customer.name=Jordan Lee", "--set", "customer.phone=+44 20 7946 0018",
    "--set", "customer.address=12 Harbour Street, Leeds LS1 4AB", "--set", "customer.email=sunny.days.77@example.com",
)  # fmt: skip


@pytest.mark.parametrize(
    "shown, field",
    [
        ("customer.address | upper", "customer.address"),
        ("customer.address | lower", "customer.address"),
        ("customer.address | title", "customer.address"),
        ("customer.address | replace(' ', '')", "customer.address"),
        ("customer.address | replace(',', '') | replace(' ', '-')", "customer.address"),
        ("customer.address | reverse", "customer.address"),
        ("customer.address[:10] | capitalize", "customer.address"),
        ("customer.phone[:10]", "customer.phone"),
        ("customer.phone | replace(' ', '.')", "customer.phone"),
        ("customer.email.split('@')[0] | upper", "customer.email"),
    ],
)
def test_a_public_reply_never_shows_a_private_detail_changed_by_the_template(tmp_path, shown, field):
    body = "Thanks for your post! We have you at {{ " + shown + " }}. ^{{ agent.name }}\n"
    pack = make_pack(tmp_path, {"leaky.jinja": front("leaky", "social", PRIVATE_FIELDS) + body})
    result = run("--path", str(pack), "render", "leaky", *PRIVATE_CASE)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert f"refused: this public reply would show {field} (changed, or a part of it)" in result.stderr
    assert "(template 'leaky', channel social: anyone can read it)" in result.stderr
    assert result.stderr.startswith(f"Error: {pack / 'templates' / 'leaky.jinja'}: refused")


def test_a_public_reply_may_name_the_customer_whose_email_repeats_the_name(tmp_path):
    body = "Hi {{ customer.name }} ({{ customer.name | upper }}), sorry about this. Please DM us. ^{{ agent.name }}\n"
    pack = make_pack(tmp_path, {"named.jinja": front("named", "social", PRIVATE_FIELDS) + body})
    result = run(
        "--path", str(pack), "render", "named", *PRIVATE_CASE, "--set", "customer.email=jordan.lee@example.com"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Hi Jordan Lee (JORDAN LEE), sorry")


def test_private_details_held_in_a_mapping_or_as_a_number_are_guarded_too(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("agent: {name: Sam}\ncustomer:\n  address: {line1: 12 Harbour Street, city: Leeds}\n"
                    "  phone: 442079460018\n  email: sunny.days.77@example.com\n")  # fmt: skip
    pack = make_pack(tmp_path, {
        "street.jinja": front("street", "social", PRIVATE_FIELDS) + "At {{ customer.address.line1 | upper }}\n",
        "digits.jinja": front("digits", "social", PRIVATE_FIELDS) + "No. {{ customer.phone|string|list|join('-') }}\n",
    })  # fmt: skip
    street = run("--path", str(pack), "render", "street", "--case", str(case))
    assert street.exit_code == 2 and "would show customer.address (changed, or a part of it)" in street.stderr
    digits = run("--path", str(pack), "render", "digits", "--case", str(case))
    assert digits.exit_code == 2 and "would show customer.phone (changed, or a part of it)" in digits.stderr


def test_a_render_ranks_only_for_the_kinds_of_phrase_a_team_wrote_for_situations(monkeypatch):
    """A phrase of the case's issue in no family (a team's own) can only come from ranking the
    issue; with the bank alone there is none, so nothing is ranked but the issue's family, and
    every template renders as when each of its phrases was ranked for."""
    import importlib

    from phrasekit.index import Index

    def renders() -> dict:
        return {t: run("render", t, "--case", str(EXAMPLES / case), "--json").stdout for t, case in SAMPLES.items()}

    asked = []
    search_module = importlib.import_module("phrasekit.search")  # phrasekit.search is the public function
    real = search_module.rank_phrases

    def rank(index, query, **options):
        asked.append(options.get("categories"))
        return real(index, query, **options)

    monkeypatch.setattr(search_module, "rank_phrases", rank)
    quick = renders()
    assert asked and all(not categories for categories in asked)  # family_for only
    monkeypatch.setattr(Index, "situated_without_family", lambda self, most: None)  # as many as a team pack
    asked.clear()
    assert renders() == quick
    assert any(categories for categories in asked)


# -- compiled templates kept in the cache ----------------------------------------------------------


def _code_files(home: Path) -> list[Path]:
    return sorted((home / ".cache" / "phrasekit").glob("template-*.code"))


def _render_email():
    return run("render", "follow-up-email", "--case", str(EXAMPLES / "lost-package-email.yaml"), "--no-prompt")


def test_a_template_compiled_once_is_read_back_and_renders_the_same(isolated_home):
    first = _render_email()
    [kept] = _code_files(isolated_home)
    assert kept.stat().st_mode & 0o777 == 0o600
    second = _render_email()
    assert first.exit_code == second.exit_code == 0 and first.output == second.output
    assert _code_files(isolated_home) == [kept]
    assert run("index", "clear").exit_code == 0 and _code_files(isolated_home) == []


def test_a_damaged_compiled_template_is_compiled_again(isolated_home):
    good = _render_email().output
    [kept] = _code_files(isolated_home)
    kept.write_bytes(kept.read_bytes()[:40])
    again = _render_email()
    assert again.exit_code == 0 and again.output == good
    assert len(kept.read_bytes()) > 40  # written whole again


def test_an_edited_template_never_runs_the_old_compiled_code(isolated_home, tmp_path):
    body = front("note") + "Hi {{ agent.name }}, version one.\n"
    pack = make_pack(tmp_path, {"note.jinja": body})
    assert "version one" in run("--path", str(pack), "render", "note", "--set", "agent.name=Sam").output
    (pack / "templates" / "note.jinja").write_text(body.replace("version one", "version two"))
    result = run("--path", str(pack), "render", "note", "--set", "agent.name=Sam")
    assert "version two" in result.output and "version one" not in result.output


def test_compiled_code_is_never_read_from_a_folder_others_can_write(isolated_home, tmp_path):
    """Loaded code runs, so a planted file in a shared cache folder must not be: plant another
    template's compiled code under the email template's name, then open the folder to others."""
    import phrasekit
    from phrasekit.sandbox import BudgetedEnvironment, _code_file, compiled_template

    good = _render_email().output
    [kept] = _code_files(isolated_home)
    template = phrasekit.show_template("follow-up-email")  # as render finds it, installed or not
    assert _code_file(template.body, template.path) == str(kept)
    env = BudgetedEnvironment()
    planted = compiled_template(env, "PLANTED\n", "elsewhere.jinja")
    import marshal

    kept.write_bytes(marshal.dumps(planted))
    folder = kept.parent
    folder.chmod(0o777)
    try:
        result = _render_email()
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 0 and "PLANTED" not in result.output and result.output == good


def test_a_when_that_names_no_time_is_warned_about_and_a_time_is_not():
    case = str(EXAMPLES / "lost-package-email.yaml")
    vague = CliRunner().invoke(
        cli, ["render", "follow-up-email", "--case", case, "--no-prompt", "--set", "case.when=soon"]
    )
    assert vague.exit_code == 0
    assert "case.when is 'soon', which names no time" in vague.stderr
    timed = CliRunner().invoke(
        cli, ["render", "follow-up-email", "--case", case, "--no-prompt", "--set", "case.when=by 5pm on Friday"]
    )
    assert timed.exit_code == 0 and "names no time" not in timed.stderr


def test_the_follow_up_email_promises_what_happens_next_only_when_there_is_a_next_step():
    case = str(EXAMPLES / "lost-package-email.yaml")
    with_next = CliRunner().invoke(cli, ["render", "follow-up-email", "--case", case, "--no-prompt"])
    assert with_next.stdout.splitlines()[0].endswith("what we've done and what happens next")
    without = CliRunner().invoke(
        cli, ["render", "follow-up-email", "--case", case, "--no-prompt", "--set", "case.next_steps="]
    )
    assert without.exit_code == 0
    assert without.stdout.splitlines()[0] == "Subject: Case 48213: what we've done"
    assert "What happens next" not in without.stdout
