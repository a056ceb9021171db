"""`phrasekit import` and `phrasekit export` (phrasekit/interop/): a team's canned replies in
from Zendesk, a helpdesk CSV, Chatwoot and espanso, and packs back out, as a lead uses them."""

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phrasekit.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "interop"
SOURCES = {
    "zendesk": [FIXTURES / "zendesk" / "macros.json", FIXTURES / "zendesk" / "macros-page2.json"],
    "csv": [FIXTURES / "csv" / "generic-comma.csv"],
    "chatwoot": [FIXTURES / "chatwoot" / "canned_responses.json"],
    "espanso": [FIXTURES / "espanso" / "support.yml"],
}
EXTENSION = {"zendesk": "json", "csv": "csv", "chatwoot": "json", "espanso": "yml"}


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(arg) for arg in args], input=input, catch_exceptions=False)


def imported(fmt, files, into, *more):
    result = run("import", fmt, *files, "--into", into, *more)
    assert result.exit_code == 0, result.output
    return result


def phrases_of(folder, fmt):
    return {
        item["id"]: item for item in yaml.safe_load((Path(folder) / "phrases" / f"{fmt}.yaml").read_text())["phrases"]
    }


def test_a_zendesk_export_becomes_a_valid_pack_with_blanks_for_its_placeholders(tmp_path):
    into = tmp_path / "acme"
    result = imported("zendesk", SOURCES["zendesk"], into, "--name", "acme")
    phrases = phrases_of(into, "zendesk")
    where = phrases["orders-where-is-my-order"]
    assert where["text"].startswith("Hi {customer|there},\n\nThanks for getting in touch")  # | default: 'there'
    assert "{agent}" in where["text"] and "{{" not in where["text"]
    assert where["source"] == "zendesk:360015501101"
    assert where["tags"] == ["orders"] and where["situations"] == ["where is my order"]  # Orders::Where is my order
    assert "{reference}" in phrases["returns-refund-issued"]["text"]  # {{ticket.id}}
    assert "&amp;" not in where["text"] and "<p>" not in where["text"]
    # Inactive macros, macros that only set ticket fields and Liquid logic are skipped, and said so.
    assert "Old::Summer sale 2022 price match" not in {p["title"] for p in phrases.values()}
    assert "inactive in Zendesk (--include-inactive imports it)" in result.output
    assert "it writes no reply (it only sets ticket fields)" in result.output
    assert "template logic ({% if %})" in result.output
    # What phrasekit cannot know is listed at the end and written beside the pack.
    assert "unknown placeholder {{dc.refund_policy}}: now the blank {refund_policy}" in result.output
    assert "hand-filled marker [ORDER NUMBER]: now the blank {order}" in result.output
    report = (into / "imports" / "zendesk-report.txt").read_text()
    assert "{{dc.refund_policy}}" in report and "Categories guessed from the wording" in report
    assert "refund_policy" in yaml.safe_load((into / "phrases" / "zendesk.yaml").read_text())["blanks"]
    assert run("packs", "validate", into).exit_code == 0


def test_every_page_of_a_paged_export_is_asked_for(tmp_path):
    result = imported("zendesk", SOURCES["zendesk"][:1], tmp_path / "acme")
    assert "another follows" in result.output and "import every page, all at once" in result.output


def test_a_guessed_category_is_marked_in_the_file_and_a_given_one_is_not(tmp_path):
    imported("csv", SOURCES["csv"], tmp_path / "team")
    text = (tmp_path / "team" / "phrases" / "csv.yaml").read_text()
    assert '"apology"  # guessed from the wording; check it' in text
    sorry = phrases_of(tmp_path / "team", "csv")["sorry-for-the-wait"]
    assert sorry["category"] == "apology"
    forced = tmp_path / "forced"
    imported("csv", SOURCES["csv"], forced, "--category", "next-steps")
    assert {p["category"] for p in phrases_of(forced, "csv").values()} == {"next-steps"}
    assert "# guessed" not in (forced / "phrases" / "csv.yaml").read_text()


@pytest.mark.parametrize("source, expected", [
    ("csv/zammad-text-modules.csv", "#{ticket.customer.firstname}"),
    ("csv/helpscout-saved-replies.csv", "{%customer.firstName"),
    ("csv/generic-comma.csv", "{{ticket.requester.firstname}}"),
])  # fmt: skip
def test_each_helpdesk_spelling_of_the_customers_name_becomes_the_customer_blank(tmp_path, source, expected):
    assert expected in (FIXTURES / source).read_text(encoding="utf-8-sig")
    imported("csv", [FIXTURES / source], tmp_path / "team")
    texts = [p["text"] for p in phrases_of(tmp_path / "team", "csv").values()]
    assert any("{customer" in text for text in texts)
    assert not any(expected in text for text in texts)


def test_a_help_scout_fallback_is_kept_as_the_blanks_default_and_fills_when_the_case_has_no_name(tmp_path):
    imported("csv", [FIXTURES / "csv" / "helpscout-saved-replies.csv"], tmp_path / "team")
    phrase_id, phrase = next(
        (k, p) for k, p in phrases_of(tmp_path / "team", "csv").items() if "{customer|there}" in p["text"]
    )
    shown = run("--path", tmp_path / "team", "show", f"team/{phrase_id}", "--text")
    assert shown.exit_code == 0 and shown.output.startswith("Hi there")
    named = run("--path", tmp_path / "team", "show", f"team/{phrase_id}", "--text", "--set", "customer=Dana")
    assert named.output.startswith("Hi Dana")


def test_imported_phrases_are_found_by_search(tmp_path):
    imported("chatwoot", SOURCES["chatwoot"], tmp_path / "bank")
    result = run("--path", tmp_path / "bank", "search", "--json", "card lost")
    assert result.exit_code == 0, result.output
    assert "bank/card-lost" in [hit["id"] for hit in json.loads(result.stdout)]


@pytest.mark.parametrize("fmt", sorted(SOURCES))
def test_each_format_round_trips_import_export_import(tmp_path, fmt):
    first = tmp_path / "first"
    imported(fmt, SOURCES[fmt], first, "--name", "team", "--include-inactive")
    assert run("packs", "validate", first).exit_code == 0
    out = tmp_path / f"export.{EXTENSION[fmt]}"
    exported = run("--path", first, "export", fmt, "--pack", "team", "-o", out)
    assert exported.exit_code == 0, exported.output
    second = tmp_path / "second"
    imported(fmt, [out], second, "--name", "team", "--include-inactive")
    assert phrases_of(second, fmt) == phrases_of(first, fmt)
    assert yaml.safe_load((second / "pack.yaml").read_text()) == yaml.safe_load((first / "pack.yaml").read_text())


def test_reimporting_the_same_export_updates_in_place_and_keeps_a_hand_edit(tmp_path):
    into = tmp_path / "acme"
    imported("zendesk", SOURCES["zendesk"], into)
    before = phrases_of(into, "zendesk")
    again = run("import", "zendesk", *SOURCES["zendesk"], "--into", into, "--json")
    body = json.loads(again.stdout)
    assert body["new"] == [] and body["updated"] == [] and len(body["unchanged"]) == len(before)
    assert phrases_of(into, "zendesk") == before
    # A lead rewords one phrase; the export changes another.
    path = into / "phrases" / "zendesk.yaml"
    path.write_text(path.read_text().replace("It left our warehouse", "It has left our warehouse"))
    changed = tmp_path / "macros.json"
    changed.write_text(SOURCES["zendesk"][0].read_text().replace("Our courier has told us", "The courier told us"))
    result = json.loads(run("import", "zendesk", changed, SOURCES["zendesk"][1], "--into", into, "--json").stdout)
    assert result["kept_edits"] == ["orders-where-is-my-order"]
    assert result["updated"] == ["orders-delayed-carrier-delay"]
    after = phrases_of(into, "zendesk")
    assert "It has left our warehouse" in after["orders-where-is-my-order"]["text"]
    assert "The courier told us" in after["orders-delayed-carrier-delay"]["text"]
    assert set(after) == set(before)
    forced = json.loads(
        run("import", "zendesk", changed, SOURCES["zendesk"][1], "--into", into, "--json", "--force").stdout
    )
    assert forced["updated"] == ["orders-where-is-my-order"]
    assert "It left our warehouse" in phrases_of(into, "zendesk")["orders-where-is-my-order"]["text"]


def test_importing_into_an_existing_pack_adds_a_file_and_leaves_its_own_alone(tmp_path):
    pack = tmp_path / "team"
    (pack / "phrases").mkdir(parents=True)
    own = 'name: team\nphrases:\n  - id: own-sorry\n    category: apology\n    text: "Our own words."\n'
    (pack / "pack.yaml").write_text(own)
    imported("chatwoot", SOURCES["chatwoot"], pack)
    assert (pack / "pack.yaml").read_text() == own
    assert (pack / "phrases" / "chatwoot.yaml").is_file()
    wrong = run("import", "chatwoot", *SOURCES["chatwoot"], "--into", pack, "--name", "other")
    assert wrong.exit_code == 2 and "is named 'team', not 'other'" in wrong.output


def test_a_phrases_file_no_import_wrote_is_not_replaced_without_force(tmp_path):
    pack = tmp_path / "team"
    (pack / "phrases").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: team\n")
    hand = 'phrases:\n  - id: mine\n    category: apology\n    text: "Mine."  # my note\n'
    (pack / "phrases" / "csv.yaml").write_text(hand)
    result = run("import", "csv", *SOURCES["csv"], "--into", pack)
    assert result.exit_code == 2 and "no import wrote it; not replacing it" in result.output
    assert (pack / "phrases" / "csv.yaml").read_text() == hand
    imported("csv", SOURCES["csv"], pack, "--force")
    assert "mine" in phrases_of(pack, "csv")


BROKEN = [
    ("zendesk", "zendesk-truncated.json", "not valid JSON", ":25:"),
    ("zendesk", "zendesk-bare-array.json", 'an object holding "macros": [...], not a list', ":1:1:"),
    ("zendesk", "zendesk-macros-object.json", '"macros" must be a list of macros, not an object', ":1:"),
    ("zendesk", "zendesk-title-number.json", "'title' must be text, not a number", ":16:16:"),
    ("chatwoot", "chatwoot-content-number.json", "'content' must be text, not a number", ":14:16:"),
    ("zendesk", "empty.json", "is empty", ":"),
    ("csv", "csv-no-text-column.csv", "no column for the reply's text", ":1:"),
    ("csv", "csv-header-only.csv", "has a header but no replies", ":1:"),
    ("csv", "csv-unterminated-quote.csv", "a quoted cell is never closed", ":3:"),
    ("csv", "csv-latin1.csv", "not valid UTF-8", ":2:4:"),
    ("csv", "csv-nul-byte.csv", "holds a NUL byte", ":3:"),
    ("espanso", "espanso-tabs.yml", "indented with tabs", ":5:1:"),
    ("espanso", "espanso-no-matches.yml", "no 'matches:' here", ":1:1:"),
    ("espanso", "espanso-no-trigger.yml", "neither 'trigger' nor 'triggers'", ":4:5:"),
]


@pytest.mark.parametrize("fmt, name, message, where", BROKEN)
def test_broken_input_ends_in_one_clear_error_and_writes_nothing(tmp_path, fmt, name, message, where):
    into = tmp_path / "pack"
    result = run("import", fmt, FIXTURES / "broken" / name, "--into", into)
    assert result.exit_code == 2, result.output
    assert message in result.output and f"{name}{where}" in result.output
    assert "Traceback" not in result.output
    assert not into.exists()


def test_a_control_character_in_an_export_refuses_the_import_and_writes_nothing(tmp_path):
    export = tmp_path / "macros.json"
    export.write_text(json.dumps({"macros": [{"id": 1, "title": "Sorry", "actions": [
        {"field": "comment_value", "value": "I'm sorry\u001b[2J for the wait."}]}]}))  # fmt: skip
    result = run("import", "zendesk", export, "--into", tmp_path / "pack")
    assert result.exit_code == 2 and "would not validate; nothing was written" in result.output
    assert f"{export}:1: sorry: U+001B ESCAPE" in result.output  # named where it can be fixed: the export
    assert "\x1b" not in result.output
    assert not (tmp_path / "pack").exists()


def test_export_writes_each_tools_own_spelling(tmp_path):
    imported("zendesk", SOURCES["zendesk"], tmp_path / "acme")
    espanso = run("--path", tmp_path / "acme", "export", "espanso", "--pack", "acme")
    assert espanso.exit_code == 0
    matches = yaml.safe_load(espanso.stdout)["matches"]
    first = next(m for m in matches if m["trigger"] == ":pk-orders-where-is-my-order")
    assert "{{form1.customer}}" in first["replace"] and "[[customer]]" in first["vars"][0]["params"]["layout"]
    assert first["vars"][0]["params"]["fields"]["customer"] == {"default": "there"}
    zendesk = json.loads(run("--path", tmp_path / "acme", "export", "zendesk", "--pack", "acme").stdout)
    value = zendesk["macros"][0]["actions"][0]["value"]
    assert "{{ticket.requester.first_name | default: 'there'}}" in value and "{{current_user.name}}" in value
    chatwoot = json.loads(run("--path", tmp_path / "acme", "export", "chatwoot", "--pack", "acme").stdout)
    assert "{{contact.first_name | default: 'there'}}" in chatwoot[0]["content"]
    whole = json.loads(run("--path", tmp_path / "acme", "export", "json", "--pack", "acme").stdout)
    assert whole["name"] == "acme" and len(whole["phrases"]) == len(matches)
    assert "refund_policy" in whole["blanks"]


def test_export_never_writes_over_a_file_without_force(tmp_path):
    out = tmp_path / "bank.csv"
    out.write_text("mine\n")
    result = run("export", "csv", "--pack", "builtin", "-o", out)
    assert result.exit_code == 2 and "file exists" in result.output and out.read_text() == "mine\n"
    assert run("export", "csv", "--pack", "builtin", "-o", out, "--force").exit_code == 0
    assert out.read_text().startswith("id,title,text,category")


def test_export_of_a_pack_not_in_force_names_the_ones_that_are(tmp_path):
    result = run("export", "json", "--pack", "builtn")
    assert result.exit_code == 2 and "did you mean 'builtin'" in result.output


def test_the_python_api_imports_and_exports(tmp_path):
    import phrasekit

    result = phrasekit.import_replies("chatwoot", [str(SOURCES["chatwoot"][0])], tmp_path / "bank")
    assert "card-lost" in result.new
    text = phrasekit.export_pack("csv", "bank", paths=[str(tmp_path / "bank")])
    assert text.splitlines()[0] == "id,title,text,category,tags,situations,channels,tone,source"


# Hostile exports ---------------------------------------------------------------------------


def test_an_espanso_shell_variable_is_never_run_and_becomes_a_reported_blank(tmp_path):
    marker = tmp_path / "ran"
    source = tmp_path / "match.yml"
    source.write_text(
        "matches:\n"
        '  - trigger: ":sig"\n'
        '    replace: "Thanks for your patience. {{who}}"\n'
        "    vars:\n"
        "      - name: who\n"
        "        type: shell\n"
        f'        params: {{cmd: "touch {marker}"}}\n'
    )
    result = imported("espanso", [source], tmp_path / "pack")
    assert not marker.exists()
    assert "the shell variable {{who}} is never run by phrasekit: now the blank {who}" in result.output
    assert phrases_of(tmp_path / "pack", "espanso")["sig"]["text"] == "Thanks for your patience. {who}"


def test_an_espanso_file_with_a_python_tag_is_refused(tmp_path):
    source = tmp_path / "match.yml"
    source.write_text('matches:\n  - trigger: ":x"\n    replace: !!python/object/apply:os.system ["true"]\n')
    result = run("import", "espanso", source, "--into", tmp_path / "pack")
    assert result.exit_code == 2 and "match.yml:3:" in result.output
    assert not (tmp_path / "pack").exists()


def test_import_never_replaces_a_link_where_its_file_goes(tmp_path):
    pack = tmp_path / "team"
    (pack / "phrases").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: team\n")
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("phrases: []\n")
    (pack / "phrases" / "chatwoot.yaml").symlink_to(elsewhere)
    result = run("import", "chatwoot", *SOURCES["chatwoot"], "--into", pack, "--force")
    assert result.exit_code == 2, result.output
    assert (pack / "phrases" / "chatwoot.yaml").is_symlink() and elsewhere.read_text() == "phrases: []\n"


def test_export_never_replaces_a_link(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("mine\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    result = run("export", "csv", "--pack", "builtin", "-o", link, "--force")
    assert result.exit_code == 2 and "a symbolic link is in the way" in result.output
    assert target.read_text() == "mine\n"


def test_a_hostile_title_and_text_reach_the_terminal_only_made_visible(tmp_path):
    export = tmp_path / "responses.json"
    export.write_text(json.dumps([{"id": 1, "short_code": "x\u202e", "content": ""},
                                  {"id": 2, "short_code": "ok", "content": "Thank you for waiting."}]))  # fmt: skip
    result = run("import", "chatwoot", export, "--into", tmp_path / "pack")
    assert result.exit_code == 0, result.output
    assert "\u202e" not in result.output and "<U+202E>" in result.output


# What real exports hold beyond the fixtures ------------------------------------------------


def test_hand_filled_markers_of_every_shape_become_reported_blanks(tmp_path):
    export = tmp_path / "replies.csv"
    export.write_text(
        "title;content\n"
        'Roaming;"Roaming costs £X a day; your code is {tracking link here}."\n'
        "Recall;Batch ****** is recalled. Call ___ or XXX.\n"
        'Skip;"Hi {%customer.firstName,fallback=%}, done."\n'
    )
    result = imported("csv", [export], tmp_path / "team")
    phrases = phrases_of(tmp_path / "team", "csv")
    assert phrases["roaming"]["text"] == "Roaming costs {amount} a day; your code is {tracking_link}."
    assert phrases["recall"]["text"] == "Batch {fill_in} is recalled. Call {fill_in_2} or {fill_in_3}."
    assert phrases["skip"]["text"] == "Hi {customer}, done."  # an empty fallback is no default
    for marker in ("£X", "{tracking link here}", "******", "___", "XXX"):
        assert f"hand-filled marker {marker}: now the blank" in result.output


def test_a_name_that_is_another_detail_is_not_the_standard_blank(tmp_path):
    from phrasekit.interop.placeholders import blank_for_name

    assert [blank_for_name(n) for n in ("NAME", "Your Name", "ORDER NUMBER", "first_name")] == [
        "customer", "agent", "order", "customer"]  # fmt: skip
    assert [blank_for_name(n) for n in ("customer_email", "group_name", "agent_signature", "ticket_field_9")] == [
        None, None, None, None]  # fmt: skip


def test_a_cursor_paged_zendesk_export_asks_for_the_next_page_and_an_empty_reply_is_skipped(tmp_path):
    export = tmp_path / "macros.json"
    export.write_text(json.dumps({
        "macros": [{"id": 1, "title": "Sorry", "actions": [{"field": "comment_value", "value": "I'm sorry."}]},
                   {"id": 2, "title": "Empty draft", "actions": [{"field": "comment_value", "value": ""}]}],
        "meta": {"has_more": True, "after_cursor": "abc"}, "links": {"next": "https://x.example/api/v2/macros?page[after]=abc"},
    }))  # fmt: skip
    result = imported("zendesk", [export], tmp_path / "pack")
    assert "another follows (https://x.example/api/v2/macros?page[after]=abc)" in result.output
    assert "Empty draft (" in result.output and "its reply text is empty" in result.output


def test_an_espanso_file_with_anchors_regex_triggers_forms_and_the_cursor_mark_imports_and_round_trips(tmp_path):
    source = tmp_path / "match.yml"
    source.write_text(
        "imports: [other.yml]\n"
        "matches:\n"
        '  - trigger: ":bye"\n'
        '    replace: &closing "Anything else I can help with? Thanks for chatting."\n'
        '  - trigger: ":bye2"\n'
        "    replace: *closing\n"
        '  - regex: ":bal(ance)?"\n'
        '    label: "Balance check"\n'
        '    replace: "Your balance shows in the app under Accounts."\n'
        '  - trigger: ":wait"\n'
        '    replace: "Thanks for waiting, $|$ I have the answer."\n'
        '  - trigger: ":lost"\n'
        '    replace: "I have blocked card ending {{f.last4}}, {{f.first_name}}."\n'
        "    vars:\n"
        "      - name: f\n"
        "        type: form\n"
        "        params: {layout: '[[last4]] [[first_name]]'}\n"
        '  - trigger: ":note"\n'
        '    form: "[[summary]]"\n'
    )
    result = imported("espanso", [source], tmp_path / "first", "--name", "team")
    phrases = phrases_of(tmp_path / "first", "espanso")
    assert phrases["bye2"]["text"] == phrases["bye"]["text"] == "Anything else I can help with? Thanks for chatting."
    assert phrases["balance-check"]["source"] == "espanso:regex::bal(ance)?"
    assert phrases["wait"]["text"] == "Thanks for waiting, {cursor_text} I have the answer."
    assert phrases["lost"]["text"] == "I have blocked card ending {last4}, {customer}."
    assert "note" not in phrases and "it is only blanks to fill, with no words of its own" in result.output
    assert "the form field {{f.last4}}: now the blank {last4}" in result.output
    assert "imports other match files (imports:), which are not read" in result.output
    out = tmp_path / "out.yml"
    assert run("--path", tmp_path / "first", "export", "espanso", "--pack", "team", "-o", out).exit_code == 0
    assert 'regex: ":bal(ance)?"' in out.read_text()
    imported("espanso", [out], tmp_path / "second", "--name", "team")
    assert phrases_of(tmp_path / "second", "espanso") == phrases


# Whatever an export holds, import answers or says what is wrong ------------------------------

_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet="ab{}[]%#|:'\"<>&;\n\\ ", max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["macros", "macro", "title", "id", "active", "actions", "field", "value", "short_code",
                         "content", "payload", "next_page", "meta", "links", "comment_value", "description"]),
        inner, max_size=5),
    max_leaves=25,
)  # fmt: skip


@settings(max_examples=120, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.sampled_from(["zendesk", "chatwoot"]), _JSONISH)
def test_import_reads_any_json_or_ends_in_one_error(tmp_path, fmt, data):
    _import_any(tmp_path, fmt, json.dumps(data))


@settings(max_examples=120, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.sampled_from(["csv", "espanso"]),
       st.text(alphabet=list("abc,;\"\n\r{}[]#%|:- \t'*&!") + ["é", "\u200b", "\x1b"], max_size=160))  # fmt: skip
def test_import_reads_any_text_or_ends_in_one_error(tmp_path, fmt, text):
    _import_any(tmp_path, fmt, text)


def _import_any(tmp_path, fmt, text):
    import shutil

    source = tmp_path / "export.txt"
    source.write_text(text, encoding="utf-8")
    into = tmp_path / "pack"
    shutil.rmtree(into, ignore_errors=True)
    result = CliRunner().invoke(cli, ["import", fmt, str(source), "--into", str(into)])
    assert result.exit_code in (0, 2), (text, result.output, result.exception)
    assert "Traceback" not in result.output and "\x1b" not in result.output
    if result.exit_code == 2:
        assert not into.exists()
    else:
        assert CliRunner().invoke(cli, ["packs", "validate", str(into)]).exit_code == 0


def test_spreadsheet_quirks_excels_sep_line_utf16_and_headers_in_other_words(tmp_path):
    sep = tmp_path / "sep.csv"
    sep.write_text('sep=;\nMacro name;Response text;Folder\nSorry;"I am sorry; truly.";Billing\nEmpty;;Billing\n')
    result = imported("csv", [sep], tmp_path / "a")
    phrase = phrases_of(tmp_path / "a", "csv")["sorry"]
    assert phrase["text"] == "I am sorry; truly." and phrase["tags"] == ["billing"]
    assert phrase["category"] == "apology"
    assert "Empty (" in result.output and "sep.csv:4): its text cell is empty" in result.output
    wide = tmp_path / "wide.csv"
    wide.write_bytes("title,text\nThanks,Thank you for waiting.\n".encode("utf-16"))
    imported("csv", [wide], tmp_path / "b")
    assert phrases_of(tmp_path / "b", "csv")["thanks"]["text"] == "Thank you for waiting."


def test_an_espanso_date_variable_becomes_the_date_blank(tmp_path):
    source = tmp_path / "m.yml"
    source.write_text(
        'matches:\n  - trigger: ":due"\n    replace: "Your refund was sent on {{today}}."\n'
        "    vars:\n      - name: today\n        type: date\n        params: {format: '%d/%m'}\n"
    )
    result = imported("espanso", [source], tmp_path / "p")
    assert phrases_of(tmp_path / "p", "espanso")["due"]["text"] == "Your refund was sent on {date}."
    assert "espanso's date variable {{today}}: now the blank {date}" in result.output


def test_a_pack_chooses_its_espanso_trigger_prefix_and_a_bad_one_is_refused_at_its_line(tmp_path):
    pack = tmp_path / "acme"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        'name: acme\ntrigger_prefix: ":acme-"\nphrases:\n'
        '  - id: late-sorry\n    category: apology\n    text: "Sorry, {customer|there}."\n'
    )
    out = run("--path", pack, "export", "espanso", "--pack", "acme").stdout
    assert '- trigger: ":acme-late-sorry"' in out
    assert (
        '- trigger: ":x-late-sorry"'
        in run("--path", pack, "export", "espanso", "--pack", "acme", "--prefix", ":x-").stdout
    )
    export = tmp_path / "acme.yml"
    export.write_text(out)
    other = tmp_path / "other"
    other.mkdir()
    (other / "pack.yaml").write_text('name: other\ntrigger_prefix: ":acme-"\n')
    imported("espanso", [export], other)  # the pack's prefix is taken off the triggers for the ids
    assert phrases_of(other, "espanso")["late-sorry"]["text"] == "Sorry, {customer|there}."
    (pack / "pack.yaml").write_text("name: acme\ntrigger_prefix: 'a b'\n")
    bad = run("packs", "validate", pack)
    assert bad.exit_code == 2 and "pack.yaml:2:17: 'trigger_prefix' is how each espanso trigger starts" in bad.output


# What a lead met trying it (issue 13's trial) ----------------------------------------------


def test_blanks_an_import_makes_in_an_existing_pack_are_declared_in_its_file_and_the_pack_validates(tmp_path):
    pack = tmp_path / "team"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: team\n")
    imported("zendesk", SOURCES["zendesk"], pack)
    assert (pack / "pack.yaml").read_text() == "name: team\n"
    declared = yaml.safe_load((pack / "phrases" / "zendesk.yaml").read_text())["blanks"]
    assert "refund_policy" in declared and "tracking_link" in declared
    validated = run("packs", "validate", pack)
    assert validated.exit_code == 0, validated.output
    listed = run("--path", pack, "packs", "list")
    assert "warning" not in listed.output


def test_two_sources_of_one_format_live_side_by_side_and_one_never_takes_the_others_phrases(tmp_path):
    pack = tmp_path / "team"
    imported("csv", [FIXTURES / "csv" / "zammad-text-modules.csv"], pack, "--name", "team")
    before = phrases_of(pack, "csv")
    other = run("import", "csv", FIXTURES / "csv" / "helpscout-saved-replies.csv", "--into", pack)
    assert other.exit_code == 2 and "looks like another source" in other.output and "--as NAME" in other.output
    assert phrases_of(pack, "csv") == before
    imported("csv", [FIXTURES / "csv" / "helpscout-saved-replies.csv"], pack, "--as", "helpscout")
    assert phrases_of(pack, "csv") == before and phrases_of(pack, "helpscout")
    assert not set(phrases_of(pack, "helpscout")) & set(before)
    assert (
        (pack / "imports" / "helpscout-report.txt")
        .read_text()
        .startswith(
            f"phrasekit import csv {FIXTURES / 'csv' / 'helpscout-saved-replies.csv'} --into {pack} --as helpscout\n"
        )
    )
    assert run("packs", "validate", pack).exit_code == 0


def test_no_page_warning_once_the_last_page_is_given(tmp_path):
    result = imported("zendesk", SOURCES["zendesk"], tmp_path / "acme")
    assert "another follows" not in result.output


def test_a_phrase_edited_by_hand_and_changed_in_the_export_says_both_changed(tmp_path):
    into = tmp_path / "acme"
    imported("zendesk", SOURCES["zendesk"], into)
    path = into / "phrases" / "zendesk.yaml"
    path.write_text(path.read_text().replace("Our courier has told us", "The courier says"))
    changed = tmp_path / "macros.json"
    changed.write_text(SOURCES["zendesk"][0].read_text().replace("Our courier has told us", "Our carrier told us"))
    result = imported("zendesk", [changed, SOURCES["zendesk"][1]], into)
    assert "orders-delayed-carrier-delay" in result.output
    assert "you edited it, and the export changed it too: compare them" in result.output


def test_a_zendesk_export_creates_macros_and_writes_each_placeholder_as_it_was(tmp_path):
    imported("zendesk", SOURCES["zendesk"], tmp_path / "acme")
    body = json.loads(run("--path", tmp_path / "acme", "export", "zendesk", "--pack", "acme").stdout)
    assert all("id" not in macro for macro in body["macros"])  # a body to create, never to replace
    refund = next(m for m in body["macros"] if m["title"] == "Returns::Refund issued")
    assert "{{dc.refund_policy}}" in refund["actions"][0]["value"]
    assert refund["description"] == ("phrasekit acme/returns-refund-issued (next-steps; source: zendesk:360015501105)")
    again = tmp_path / "again"
    export = tmp_path / "zendesk.json"
    export.write_text(json.dumps(body))
    imported("zendesk", [export], again, "--name", "acme")
    assert phrases_of(again, "zendesk") == phrases_of(tmp_path / "acme", "zendesk")


def test_render_never_sets_a_whole_imported_reply_inside_a_template_and_says_when_a_pick_goes_unused(tmp_path):
    pack = tmp_path / "acme"
    imported("zendesk", SOURCES["zendesk"], pack)
    case = ["--set", "case.issue=order delayed, carrier delay", "--set", "agent.name=Sam",
            "--set", "company.name=Pinecrest", "--set", "customer.first_name=Dana",
            "--set", "case.resolution=I've asked the courier to bring it tomorrow.", "--set", "when=by Friday",
            "--set", "next_step=check the tracking", "--set", "channel=by email"]  # fmt: skip
    result = CliRunner().invoke(cli, ["--path", str(pack), "render", "follow-up-email", "--no-prompt", "--json", *case])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert not [p for p in body["phrases"] if p.startswith("acme/")]
    assert body["body"].count("Hi ") <= 1
    picked = CliRunner().invoke(cli, ["--path", str(pack), "render", "follow-up-email", "--no-prompt", *case,
                                      "--pick", "acme/stock-back-in-stock-alert"])  # fmt: skip
    assert picked.exit_code == 0
    assert "--pick acme/stock-back-in-stock-alert was not used" in picked.stderr


def test_every_espanso_trigger_of_a_match_is_kept_on_export(tmp_path):
    source = tmp_path / "m.yml"
    source.write_text('matches:\n  - triggers: [":sorry", ":apol"]\n    replace: "I am so sorry about this."\n')
    imported("espanso", [source], tmp_path / "p", "--name", "p")
    out = run("--path", tmp_path / "p", "export", "espanso", "--pack", "p").stdout
    assert '- triggers: [":sorry", ":apol"]' in out and 'search_terms: ["apology"]' in out


def test_a_title_path_part_that_names_a_category_is_the_category(tmp_path):
    export = tmp_path / "macros.json"
    export.write_text(json.dumps({"macros": [{"id": 1, "title": "Apology::Late delivery", "actions": [
        {"field": "comment_value", "value": "We're sorry it's late; it's moving again now."}]}]}))  # fmt: skip
    imported("zendesk", [export], tmp_path / "p")
    phrase = phrases_of(tmp_path / "p", "zendesk")["apology-late-delivery"]
    assert phrase["category"] == "apology" and "tags" not in phrase
    assert "# guessed" not in (tmp_path / "p" / "phrases" / "zendesk.yaml").read_text()
