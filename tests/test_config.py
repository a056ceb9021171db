"""config set / get / show: the settings a rep changes, declared once in phrasekit/config.py."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from phrasekit.cli import cli
from phrasekit.config import KNOWN, config_path, load_config


def run(*args):
    return CliRunner().invoke(cli, list(args))


def write(text: str):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_settings_are_declared_once_and_history_is_among_them():
    assert list(KNOWN) == ["agent.name", "company.name", "signature", "channel", "semantic", "history"]
    assert KNOWN["history"].kind == "switch" and KNOWN["history"].default is True


def test_set_then_get_each_setting_into_a_new_file():
    steps = [("agent.name", "Sam Patel", "Sam Patel"), ("company.name", "Northwind Goods", "Northwind Goods"),
             ("signature", "Care | Mon-Fri 8-6", "Care | Mon-Fri 8-6"), ("channel", "SMS", "sms"),
             ("semantic", "off", "false"), ("history", "no", "false")]  # fmt: skip
    for key, typed, shown in steps:
        assert run("config", "set", key, typed).exit_code == 0
        got = run("config", "get", key)
        assert (got.exit_code, got.stdout) == (0, shown + "\n")
    assert load_config() == {"agent": {"name": "Sam Patel"}, "company": {"name": "Northwind Goods"},
                             "signature": "Care | Mon-Fri 8-6", "channel": "sms", "semantic": False,
                             "history": False}  # fmt: skip
    # what search and the semantic switch read as text sees them too
    from phrasekit.config import default_channel
    from phrasekit.semantic import disabled_by_user

    assert default_channel() == "sms" and disabled_by_user()
    assert run("config", "set", "history", "YES").exit_code == 0 and load_config()["history"] is True
    assert run("config", "get", "--json", "history").stdout == "true\n"
    assert run("config", "get", "--json", "agent.name").stdout == '"Sam Patel"\n'


def test_switches_take_true_false_on_off_yes_no():
    for typed, value in [("true", True), ("False", False), ("on", True), ("OFF", False), ("yes", True), ("no", False)]:
        assert run("config", "set", "semantic", typed).exit_code == 0
        assert load_config()["semantic"] is value


def test_get_of_an_unset_setting_exits_1_with_nothing_on_stdout():
    got = run("config", "get", "agent.name")
    assert (got.exit_code, got.stdout) == (1, "") and "agent.name is not set" in got.stderr
    write("company:\n  name: Acme\n")
    got = run("config", "get", "agent.name")
    assert (got.exit_code, got.stdout) == (1, "")


@pytest.mark.parametrize("args", [["set", "agnet.name", "Sam"], ["get", "agnet.name"], ["set", "customer.name", "x"]])
def test_an_unknown_key_is_refused_with_exit_2_and_the_known_ones(args):
    result = run("config", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert "unknown setting" in result.stderr
    assert "agent.name, company.name, signature, channel, semantic, history" in result.stderr
    assert not config_path().exists()


@pytest.mark.parametrize("key, value, said", [
    ("channel", "fax", "unknown channel 'fax' (allowed: phone, email, chat, sms, social)"),
    ("history", "maybe", "history is on or off: true/false, on/off or yes/no"),
    ("agent.name", "  ", "agent.name needs a value"),
    ("agent.name", "Sam\x1b[2J", "one line of text without control characters"),
])  # fmt: skip
def test_a_value_the_setting_cannot_take_is_refused_and_nothing_is_written(key, value, said):
    path = write("agent:\n  name: Sam\n")
    result = run("config", "set", key, value)
    assert result.exit_code == 2 and said in result.stderr
    assert path.read_text() == "agent:\n  name: Sam\n"


def test_set_keeps_the_other_keys_comments_and_layout():
    before = ("# my phrasekit config\nagent:\n  # who I am\n  name: Old Name   # keep this comment\n  team: billing\n"
              "\ncompany: {name: Acme}\nchannel: phone # where I work\nfoo: 1\n")  # fmt: skip
    path = write(before)
    for key, value in [("agent.name", "Zoë Ng"), ("company.name", "Acme, Inc."), ("channel", "chat"),
                       ("history", "off"), ("signature", "Care team")]:  # fmt: skip
        assert run("config", "set", key, value).exit_code == 0
    assert path.read_text() == (
        "# my phrasekit config\nagent:\n  # who I am\n  name: Zoë Ng   # keep this comment\n  team: billing\n"
        '\ncompany: {name: "Acme, Inc."}\nchannel: chat # where I work\nfoo: 1\nhistory: false\nsignature: Care team\n'
    )
    assert not path.with_name("config.yaml.bak").exists()
    write("# mine\nagent:\n  team: billing\n")
    assert run("config", "set", "agent.name", "Sam").exit_code == 0
    assert path.read_text() == "# mine\nagent:\n  name: Sam\n  team: billing\n"
    write("agent:\nchannel: phone\n")
    assert run("config", "set", "agent.name", "Sam").exit_code == 0
    assert load_config() == {"agent": {"name": "Sam"}, "channel": "phone"}


def test_a_section_written_inline_without_the_key_is_written_anew_with_a_backup():
    before = "# mine\nagent: {team: billing}\nchannel: phone\n"
    path = write(before)
    result = run("config", "set", "agent.name", "Sam")
    assert result.exit_code == 0 and "comments could not be kept" in result.stderr
    assert load_config() == {"agent": {"team": "billing", "name": "Sam"}, "channel": "phone"}
    assert path.with_name("config.yaml.bak").read_text() == before


def test_a_config_that_cannot_be_read_is_an_error_at_its_place_and_never_overwritten():
    broken = "agent:\n  name: Sam\n company: [oops\n"
    path = write(broken)
    result = run("config", "set", "channel", "sms")
    assert result.exit_code == 2 and f"{path}:3:" in result.stderr and "YAML syntax error" in result.stderr
    assert path.read_text() == broken and not path.with_name("config.yaml.bak").exists()
    write("agent: Sam\n")
    result = run("config", "set", "agent.name", "Sam")
    assert result.exit_code == 2 and f"{path}:1:8: 'agent' in the config file is not a section" in result.stderr


def test_the_loader_checks_the_known_settings_at_their_place():
    path = write("agent:\n  name: Sam\nhistory: 'off'\n")
    assert load_config()["history"] is False  # what the history reads: a bool, whatever the spelling
    write("company:\n  name: 1800\n")
    assert load_config() == {"company": {"name": 1800}}  # as render always read it
    write("agent:\n  name: [Sam]\n")
    assert run("config", "show").exit_code == 2
    write("agent:\n  name: Sam\nhistory: maybe\n")
    result = run("config", "show", "--json")
    assert result.exit_code == 2 and f"{path}:3:10: history is on or off" in result.stderr


def test_config_show_warns_about_unknown_keys_naming_them_and_the_file():
    path = write("agent:\n  name: Sam\n  nmae: typo\ncompnay:\n  name: Acme\nchannel: chat\n")
    result = run("config", "show")
    assert result.exit_code == 0 and "name: Sam" in result.stdout
    assert f"warning: {path}: unknown key(s) agent.nmae, compnay" in result.stderr
    assert json.loads(run("config", "show", "--json").stdout)["channel"] == "chat"
    write("agent:\n  name: Sam\ncompany:\n")
    assert run("config", "show").stderr == ""


@pytest.mark.skipif(not hasattr(__import__("os"), "symlink"), reason="needs symbolic links")
def test_set_never_replaces_a_link_with_a_file(tmp_path):
    real = tmp_path / "dotfiles-config.yaml"
    real.write_text("agent:\n  name: Sam\n")
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().symlink_to(real)
    result = run("config", "set", "channel", "sms")
    assert result.exit_code == 2 and "symbolic link is in the way" in result.stderr
    assert config_path().is_symlink() and real.read_text() == "agent:\n  name: Sam\n"


def test_the_backup_is_made_once_and_never_replaced():
    path = write("# first\nagent: {team: billing}\n")
    assert run("config", "set", "agent.name", "Sam").exit_code == 0
    write("# second\ncompany: {team: x}\n")
    result = run("config", "set", "company.name", "Acme")
    assert result.exit_code == 0 and "config.yaml.bak" in result.stderr
    assert path.with_name("config.yaml.bak").read_text() == "# first\nagent: {team: billing}\n"
