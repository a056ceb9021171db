"""Hostile input: what a file, a draft or a pack can do to phrasekit, and what it must not."""

import os
import subprocess
import sys

import pytest

from helpers import write_tree

# --- patterns: regular expressions from packs and the built-in rules cannot stall check (issue 11, item 2)
#
# Each command runs in its own process under a hang guard: before the fix these took minutes or
# never ended (a 37-byte draft against `(a+)+$`; 60 s and more for the long words and drafts below).

HANG_GUARD = 30  # seconds: a generous bound for commands that now take one to three seconds


def _phrasekit(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "phrasekit", *args], input=input, capture_output=True, text=True,
                          timeout=HANG_GUARD, env=os.environ)  # fmt: skip


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|a)*b", "(a|ab)*c", "(.*a){20}", "(a)\\1", "a{1000000}"])
def test_patterns_check_with_a_stalling_pack_pattern_still_answers(tmp_path, pattern):
    pack = write_tree(tmp_path / "team", {"pack.yaml": f"""
        name: team
        avoid:
          - pattern: '{pattern}'
            reason: slow
        """})  # fmt: skip
    done = _phrasekit("--path", str(pack), "check", "-", input="a" * 36 + "!")
    assert done.returncode == 0
    assert f"{pack / 'pack.yaml'}:3:14: regular expression {pattern!r} refused" in done.stderr
    assert done.stderr.endswith("-: no findings (reply)\n")
    assert not done.stdout


WORDS = {"letters": "a" * 100_000, "dotted": "a." * 50_000, "capitals": "A'" * 50_000, "codes": "AB1-" * 25_000}


@pytest.mark.parametrize("word", WORDS)
def test_patterns_check_on_one_long_word_finishes(tmp_path, word):
    draft = tmp_path / "draft.txt"
    draft.write_text(WORDS[word], encoding="utf-8")
    done = _phrasekit("check", "--channel", "social", str(draft))
    assert done.returncode in (0, 1), done.stderr


def test_patterns_render_social_reply_with_a_long_handle_finishes(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(f"case:\n  issue: charged twice\ncustomer:\n  handle: {'a' * 100_000}\nagent:\n  name: Jo\n")
    done = _phrasekit("render", "social-reply", "--case", str(case), "--no-prompt", "--allow-long")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("@aaaa")


def test_patterns_check_on_a_draft_of_many_sentences_finishes(tmp_path):
    """Every hit used to look for its sentence from the start of the draft: 50,000 of them."""
    draft = tmp_path / "draft.txt"
    draft.write_text("Soon. " * 50_000, encoding="utf-8")
    done = _phrasekit("check", "--kind", "reply", str(draft))
    assert done.returncode == 1
    assert done.stdout.count("vague-time") == 50_000
    assert done.stdout.splitlines()[-1].startswith(f"{draft}:1:299995: vague-time")
