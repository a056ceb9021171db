"""Copying a phrase: the system's clipboard tools (faked on PATH), OSC 52 to the terminal, and
what the rep is told when neither is there."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import pytest

from helpers import fake_tool
from phrasekit import clipboard
from phrasekit.clipboard import OSC52, copy, osc52
from phrasekit.errors import PhrasekitError

TEXT = "I'm sorry about the wait, Dana. Ça ne devrait pas arriver."


@pytest.fixture
def tools(tmp_path, monkeypatch):
    """A PATH holding only the fake tools, and no terminal unless a test gives one."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(clipboard, "_open_terminal", lambda: None)
    return folder


def test_xclip_gets_the_text_exactly_without_a_trailing_newline(tools, monkeypatch):
    got = fake_tool(tools, "xclip")
    monkeypatch.setenv("DISPLAY", ":0")
    assert copy(TEXT + "\n") == "xclip"
    assert got.read_bytes() == TEXT.encode("utf-8")
    assert Path(f"{got}.args").read_text() == "-selection clipboard "


def test_wl_copy_comes_first_on_wayland(tools, monkeypatch):
    wayland, x11 = fake_tool(tools, "wl-copy"), fake_tool(tools, "xclip")
    monkeypatch.setenv("DISPLAY", ":0")
    assert copy(TEXT) == "xclip"  # not on Wayland: wl-copy is not asked
    assert not wayland.exists()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    x11.unlink()
    assert copy(TEXT) == "wl-copy"
    assert wayland.read_bytes() == TEXT.encode("utf-8") and not x11.exists()


def test_a_failing_tool_is_passed_over_for_the_next(tools, monkeypatch):
    fake_tool(tools, "xclip", code=1)
    got = fake_tool(tools, "xsel")
    monkeypatch.setenv("DISPLAY", ":0")
    assert copy(TEXT) == "xsel"
    assert got.read_bytes() == TEXT.encode("utf-8")
    assert Path(f"{got}.args").read_text() == "--clipboard --input "


def test_x11_tools_are_not_asked_without_a_display(tools):
    fake_tool(tools, "xclip")
    got = fake_tool(tools, "pbcopy")
    assert copy(TEXT) == "pbcopy"
    assert got.read_bytes() == TEXT.encode("utf-8")


def test_clip_exe_gets_utf16_with_its_byte_order_mark(tools):
    got = fake_tool(tools, "clip.exe")
    assert copy(TEXT) == "clip.exe"
    assert got.read_bytes() == b"\xff\xfe" + TEXT.encode("utf-16-le")


def test_a_tool_that_hangs_is_left_for_the_next_way(tools, monkeypatch):
    fake_tool(tools, "pbcopy", hang=True)
    got = fake_tool(tools, "clip.exe")
    monkeypatch.setattr(clipboard, "TOOL_TIMEOUT", 0.5)
    assert copy(TEXT) == "clip.exe"
    assert got.exists()


def test_without_a_tool_the_terminal_gets_osc52(tools):
    terminal = io.BytesIO()
    assert copy(TEXT, terminal=terminal) == OSC52
    encoded = base64.b64encode(TEXT.encode("utf-8"))
    assert terminal.getvalue() == b"\x1b]52;c;" + encoded + b"\x07"


def test_inside_tmux_osc52_is_wrapped_for_tmux_to_pass_on(tools, monkeypatch):
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    terminal = io.BytesIO()
    copy("hi", terminal=terminal)
    assert terminal.getvalue() == b"\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"


def test_the_controlling_terminal_is_used_when_none_is_given(tools, monkeypatch, tmp_path):
    written = tmp_path / "tty"
    monkeypatch.setattr(clipboard, "_open_terminal", lambda: open(written, "wb"))  # noqa: SIM115 (copy closes it)
    assert copy("hi") == OSC52
    assert written.read_bytes() == osc52("hi")


def test_without_a_tool_or_a_terminal_the_error_says_what_to_install(tools):
    with pytest.raises(PhrasekitError) as caught:
        copy(TEXT)
    assert caught.value.exit_code == 2
    assert "no clipboard is reachable" in str(caught.value)
    assert "xclip" in caught.value.hint and "wl-clipboard" in caught.value.hint


@pytest.mark.parametrize("bad", ["\x1b]52;c;aGk=\x07", "\x07", "\r", "\u202e", "\x9b", "\u2028"])
def test_a_control_or_bidi_character_is_refused_and_nothing_is_copied(tools, monkeypatch, bad):
    got = fake_tool(tools, "pbcopy")
    terminal = io.BytesIO()
    with pytest.raises(PhrasekitError, match="not copied"):
        copy(f"Sorry{bad} about that", terminal=terminal)
    assert not got.exists() and terminal.getvalue() == b""


def test_tabs_and_line_breaks_inside_are_kept(tools):
    got = fake_tool(tools, "pbcopy")
    copy("one\n\ttwo\n\n")
    assert got.read_bytes() == b"one\n\ttwo"


def test_tools_run_without_a_shell(tools, monkeypatch):
    seen = []
    import subprocess

    real = subprocess.run

    def spy(args, **kwargs):
        seen.append((args, kwargs.get("shell", False)))
        return real(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    fake_tool(tools, "pbcopy")
    copy("$(touch pwned); `id`")
    assert seen == [([os.path.join(str(tools), "pbcopy")], False)]
    assert not (Path.cwd() / "pwned").exists()


def test_take_copies_and_records(tools, isolated_home):
    from phrasekit import history

    got = fake_tool(tools, "pbcopy")
    taken = clipboard.take("builtin/sorry-core", "I'm sorry.")
    assert taken.where == "pbcopy" and taken.message == "Copied to the clipboard (pbcopy)."
    assert got.read_bytes() == b"I'm sorry."
    assert taken.entry.full_id == "builtin/sorry-core" and taken.history_on
    assert [entry.full_id for entry in history.entries()] == ["builtin/sorry-core"]


def test_take_records_nothing_when_the_copy_fails(tools, isolated_home):
    from phrasekit import history

    with pytest.raises(PhrasekitError):
        clipboard.take("builtin/sorry-core", "I'm sorry.")
    assert history.entries() == []
