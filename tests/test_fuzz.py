"""Whatever a user feeds in, phrasekit answers or says what is wrong; it never crashes."""

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phrasekit.check import builtin_rules, check_text
from phrasekit.cli import cli
from phrasekit.errors import PhrasekitError
from phrasekit.yamlfile import parse_yaml

RULES = builtin_rules()
YAMLISH = st.text(alphabet=st.sampled_from(list("ab:- \n\t'\"[]{}&*!#|>%@`,?\\0123") + ["é", "\u2028"]), max_size=120)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from([None, "email", "chat", "social", "sms"]),
       st.sampled_from([None, "reply", "follow-up"]))  # fmt: skip
def test_check_reads_any_text(text, channel, kind):
    findings = check_text(text, RULES, channel=channel, kind=kind)
    for finding in findings:
        assert finding.location.line >= 1 and finding.location.column >= 1


@settings(max_examples=400, deadline=None)
@given(YAMLISH)
def test_yaml_never_raises_anything_but_its_own_error(text):
    try:
        parse_yaml(text, "f.yaml")
    except PhrasekitError as error:
        assert error.location is not None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(YAMLISH)
def test_any_pack_yaml_is_validated_without_a_traceback(tmp_path_factory, text):
    pack = tmp_path_factory.mktemp("pack")
    (pack / "pack.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["packs", "validate", str(pack)])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(YAMLISH)
def test_any_case_file_renders_or_says_why(tmp_path_factory, text):
    case = tmp_path_factory.mktemp("case") / "case.yaml"
    case.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", "sms-follow-up", "--no-prompt", "--case", str(case)])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("body", ["{{", "{% for %}", "{{ x | nosuchfilter }}", "{{ 1/0 }}", "{{ range(10**9)|list }}",
                                  "{% include 'x' %}", "{{ phrase() }}", "{{ phrase('nope') }}"])  # fmt: skip
def test_broken_templates_say_why(tmp_path, body):
    pack = tmp_path / "team"
    (pack / "templates").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: team\n")
    (pack / "templates" / "t.jinja").write_text(f"---\nname: t\nchannel: chat\nfields: []\n---\n{body}\n")
    result = CliRunner().invoke(cli, ["--path", str(pack), "render", "t"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
