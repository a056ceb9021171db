"""Output for people: wrapping to the terminal's width, and progress lines that leave nothing."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from phrasekit.output import Progress, columns, wrap

# --- wrapping ---------------------------------------------------------------------------------


def test_a_line_that_fits_is_left_as_it_is_padding_and_all():
    line = "listen      step 1   Invite the customer   to talk.  "
    assert wrap(line, 80) == [line]


def test_a_long_line_breaks_between_words_under_its_own_indent_and_list_mark():
    line = "   - I'm sorry our engineer didn't come to your appointment today.  [builtin/technician-no-show-sorry]"
    lines = wrap(line, 40)
    assert lines == [
        "   - I'm sorry our engineer didn't come",
        "     to your appointment today.",
        "     [builtin/technician-no-show-sorry]",
    ]


def test_a_table_row_hangs_under_the_column_it_is_given():
    row = "apology   step 3   Say sorry for what happened, plainly and specifically."
    assert wrap(row, 48, hang=19) == [
        "apology   step 3   Say sorry for what happened,",
        "                   plainly and specifically.",
    ]


def test_a_word_no_line_has_room_for_overflows_where_it_is_and_is_never_cut():
    line = "source:     /a/very/long/path/to/the/phrases/families/lost-package.yaml:86 here"
    assert wrap(line, 40, hang=12) == [
        "source:     /a/very/long/path/to/the/phrases/families/lost-package.yaml:86",
        "            here",
    ]


def test_on_a_narrow_terminal_the_hanging_indent_gives_way():
    lines = wrap("name" + " " * 30 + "one two three four five six seven eight", 40, hang=34)
    assert all(line.startswith(" " * 20) and not line.startswith(" " * 21) for line in lines[1:])


def test_style_codes_take_no_column_and_wide_characters_take_two():
    assert columns("\x1b[1;36mapology\x1b[0m") == 7
    assert columns("返金") == 4 and columns("e\u0301") == 1
    bold = "\x1b[1m[when]\x1b[0m"
    lines = wrap(f"I'll call you {bold} about the parcel marked as delivered", 30)
    assert [columns(line) for line in lines] == [30, 26] and bold in lines[0]
    assert all(columns(line) <= 10 for line in wrap("返金 返金 返金 返金 返金", 10))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghij-/", min_size=1, max_size=14), min_size=1, max_size=30),
       st.integers(20, 100), st.integers(0, 12), st.sampled_from([None, 0, 4, 30]))  # fmt: skip
def test_wrapping_keeps_every_word_whole_and_in_order_and_fits_what_can_fit(words, width, indent, hang):
    line = " " * indent + " ".join(words)
    lines = wrap(line, width, hang)
    assert " ".join(lines).split() == line.split()  # nothing cut, lost, added or reordered
    for text in lines:
        if columns(text) > width:  # only a line whose last word fits no line at all
            assert len(text.split()[-1]) > width - 20 or len(text.split()) == 1


# --- progress ---------------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def frames_of(written: str) -> list[str]:
    return [frame.removesuffix("\x1b[K") for frame in written.split("\r") if frame]


def test_progress_stays_on_one_line_rewrites_itself_and_is_erased_at_the_end(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    terminal = FakeTerminal()
    with Progress(stream=terminal) as progress:
        for done in range(0, 2001, 50):
            progress(done, 2000)
    written = terminal.getvalue()
    assert "\n" not in written  # never a new line: no stack of bars
    frames = frames_of(written)
    assert len(frames) > 10 and frames[-1] == ""  # the last thing written erases the line
    assert all(len(frame) <= 59 for frame in frames)  # never the last column, never wrapped
    assert frames[0].startswith("Embedding phrases for semantic search") and "100% 2000/2000" in frames[-2]
    assert written.endswith("\r\x1b[K")


def test_progress_fits_a_narrow_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "24")
    terminal = FakeTerminal()
    with Progress(stream=terminal) as progress:
        progress(500, 1000)
    assert all(len(frame) <= 23 for frame in frames_of(terminal.getvalue()))


def test_no_progress_at_all_when_not_on_a_terminal_or_for_few_items():
    piped, terminal = io.StringIO(), FakeTerminal()
    with Progress(stream=piped) as progress:
        for done in range(0, 1001, 100):
            progress(done, 1000)
    with Progress(stream=terminal) as few:
        few(10, 20)
    assert piped.getvalue() == "" and terminal.getvalue() == ""


def test_an_interrupted_step_erases_its_progress_too(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    terminal = FakeTerminal()
    try:
        with Progress(stream=terminal) as progress:
            progress(300, 1000)
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert terminal.getvalue().endswith("\r\x1b[K") and "30%" in terminal.getvalue()


def _embedding_in_steps(monkeypatch):
    import phrasekit.semantic

    def embed_phrases(paths=(), progress=None):
        for done in range(0, 1501, 100):
            progress(done, 1500)
        return 1500

    monkeypatch.setattr(phrasekit.semantic, "embed_phrases", embed_phrases)


def test_model_embed_shows_its_progress_only_on_a_terminal_and_leaves_nothing(monkeypatch):
    from click.testing import CliRunner

    from phrasekit.cli import cli

    _embedding_in_steps(monkeypatch)
    piped = CliRunner().invoke(cli, ["model", "embed"], catch_exceptions=False)
    assert piped.exit_code == 0 and piped.stderr == "" and piped.stdout.startswith("Vectors ready for 1500 phrases")
    monkeypatch.setattr("phrasekit.output._is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", "50")
    shown = CliRunner().invoke(cli, ["model", "embed"], catch_exceptions=False)
    assert shown.exit_code == 0 and "\n" not in shown.stderr and shown.stderr.endswith("\r\x1b[K")
    frames = frames_of(shown.stderr)
    assert len(frames) > 5 and all(len(frame) <= 49 for frame in frames) and "100% 1500/1500" in frames[-2]
