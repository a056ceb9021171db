"""The one atomic-write helper: what it refuses, what it keeps, what it leaves behind."""

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from phrasekit.cli import cli
from phrasekit.errors import PhrasekitError
from phrasekit.files import write_atomic

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def folder(tmp_path):
    """An empty folder of its own (tmp_path also holds the test's home)."""
    path = tmp_path / "work"
    path.mkdir()
    return path


def mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_a_new_file_gets_the_usual_mode_not_a_private_one(folder):
    old = os.umask(0o022)
    try:
        write_atomic(folder / "a.txt", "hello\n")
        os.umask(0o027)
        write_atomic(folder / "b.txt", b"bytes")
    finally:
        os.umask(old)
    assert (folder / "a.txt").read_text() == "hello\n" and mode(folder / "a.txt") == 0o644
    assert (folder / "b.txt").read_bytes() == b"bytes" and mode(folder / "b.txt") == 0o640


def test_a_replaced_file_keeps_its_mode(folder):
    target = folder / "reply.txt"
    target.write_text("old")
    os.chmod(target, 0o600)
    write_atomic(target, "new", force=True)
    assert target.read_text() == "new" and mode(target) == 0o600
    os.chmod(target, 0o664)
    write_atomic(target, write=lambda temp: temp.write_text("from a callback"), force=True)
    assert target.read_text() == "from a callback" and mode(target) == 0o664


def test_an_existing_file_is_kept_without_force(folder):
    target = folder / "reply.txt"
    target.write_text("mine")
    with pytest.raises(PhrasekitError, match="file exists") as error:
        write_atomic(target, "new")
    assert str(target) in str(error.value)
    assert target.read_text() == "mine" and os.listdir(folder) == ["reply.txt"]


@pytest.mark.parametrize("kind", ["fifo", "symlink", "folder"])
def test_what_is_not_a_regular_file_is_never_replaced_even_with_force(folder, kind):
    target = folder / "target"
    real = folder / "real.txt"
    real.write_text("the real one")
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        target.symlink_to(real)
    else:
        target.mkdir()
    with pytest.raises(PhrasekitError, match="not replacing it") as error:
        write_atomic(target, "new", force=True)
    assert str(target) in str(error.value)
    assert real.read_text() == "the real one"
    assert sorted(os.listdir(folder)) == ["real.txt", "target"]
    assert {"fifo": stat.S_ISFIFO, "symlink": stat.S_ISLNK, "folder": stat.S_ISDIR}[kind](os.lstat(target).st_mode)


def test_a_dangling_symlink_is_refused_too(folder):
    target = folder / "target"
    target.symlink_to(folder / "nowhere")
    with pytest.raises(PhrasekitError, match="symbolic link"):
        write_atomic(target, "new", force=True)
    assert not (folder / "nowhere").exists()


def test_a_device_is_refused():
    with pytest.raises(PhrasekitError, match="device"):
        write_atomic("/dev/null", "new", force=True)


def test_the_temporary_file_is_removed_on_any_failure(folder):
    target = folder / "index.sqlite"
    target.write_text("the old one")

    def broken(temp):
        conn = sqlite3.connect(temp)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, write=broken, force=True)
    assert target.read_text() == "the old one" and os.listdir(folder) == ["index.sqlite"]


def test_the_temporary_file_sits_beside_the_target_with_the_name_asked_for(folder):
    seen = []
    write_atomic(folder / "semantic-x.vec.npy", write=lambda temp: seen.append(temp) or temp.write_bytes(b"1"),
                 prefix="semantic-x.vec.", suffix=".npy.tmp")  # fmt: skip
    assert seen[0].parent == folder and seen[0].name.startswith("semantic-x.vec.")
    assert seen[0].name.endswith(".npy.tmp") and not seen[0].exists()


def test_render_refuses_to_write_over_a_symlink_with_exit_2(folder):
    real = folder / "notes.txt"
    real.write_text("my notes")
    link = folder / "reply.txt"
    link.symlink_to(real)
    args = ["render", "sms-follow-up", "--case", str(EXAMPLES / "late-delivery-sms.yaml"), "-o", str(link), "--force"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert f"{link}: a symbolic link is in the way; not replacing it" in result.stderr
    assert real.read_text() == "my notes" and link.is_symlink()


def test_render_output_to_a_fifo_is_refused(folder):
    fifo = folder / "pipe"
    os.mkfifo(fifo)
    args = ["render", "sms-follow-up", "--case", str(EXAMPLES / "late-delivery-sms.yaml"), "-o", str(fifo), "--force"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "a named pipe is in the way" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_packs_new_gives_the_pack_file_the_usual_mode(folder):
    old = os.umask(0o022)
    try:
        result = CliRunner().invoke(cli, ["packs", "new", "acme", str(folder / "acme")])
    finally:
        os.umask(old)
    assert result.exit_code == 0
    assert mode(folder / "acme" / "pack.yaml") == 0o644


def test_a_file_with_other_hard_links_is_replaced_for_every_link(folder):
    target, other = folder / "reply.txt", folder / "also-reply.txt"
    target.write_text("old")
    os.link(target, other)
    write_atomic(target, "new", force=True)
    assert other.read_text() == "new" and os.stat(target).st_ino == os.stat(other).st_ino
    assert sorted(p.name for p in folder.iterdir()) == ["also-reply.txt", "reply.txt"]


def test_a_temporary_file_left_by_a_killed_write_is_removed_by_the_next(folder):
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = folder / f".reply.txt.{gone.stdout.strip()}.abc123.tmp"
    live = folder / f".reply.txt.{os.getppid()}.def456.tmp"  # a writer still running: not ours to remove
    stale.write_text("half a reply")
    live.write_text("being written")
    write_atomic(folder / "reply.txt", "a reply")
    assert not stale.exists() and live.exists()
    assert (folder / "reply.txt").read_text() == "a reply"


def test_render_into_a_folder_that_does_not_exist_makes_none(folder):
    """A typo in ``-o``'s folder is an error, not a new tree of folders."""
    target = folder / "no" / "such" / "reply.txt"
    args = ["render", "sms-follow-up", "--case", str(EXAMPLES / "late-delivery-sms.yaml"), "-o", str(target)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert f"{target.parent}: the folder to write into does not exist" in result.stderr
    assert not (folder / "no").exists()


def test_render_output_dash_is_standard_output(folder, monkeypatch):
    monkeypatch.chdir(folder)
    args = ["render", "sms-follow-up", "--case", str(EXAMPLES / "late-delivery-sms.yaml"), "-o", "-"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0 and result.stdout.startswith("Hi ")
    assert not (folder / "-").exists()
