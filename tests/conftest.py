"""Every test runs in its own home (config, cache, no installed packs) against the installed phrasekit.

Two things are settled here for the whole suite:

- **The installed package is what is tested.** ``python -m pytest`` puts the current folder on
  ``sys.path``, so from a checkout it would import the source tree where ``pytest`` imports the
  installed package (the two differ for a non-editable install: the bank's place, the cache key).
  The checkout is taken off ``sys.path`` before anything imports phrasekit whenever phrasekit can
  be imported without it (installed normally or in editable mode); when it is not installed at
  all, the tests run on the source tree as before.
- **The bank's index is built once per session.** A test's cache folder starts as a copy of a
  session cache that holds the built-in bank's compiled index (whatever files phrasekit keeps
  there), so a command does not rebuild it in every test. A test of the cache itself (building,
  staleness, damage, clearing) is marked ``@pytest.mark.fresh_cache`` and starts with none.
- **So is the index of the bank with a fixed ``--path``.** A test that runs commands with packs
  it only reads (the fixtures' packs, a module's or the session's copy) and is not about
  building their index asks ``prebuilt_index(*folders)``: the entry phrasekit keeps for the bank
  with those ``--path`` folders is built once per run and copied into the test's cache, where it
  is current (test_harness proves it), so the command does not rebuild the bank's index with them.
  A test whose point is the build, or that changes how packs load (a monkeypatched check), builds
  its own as before.

Under pytest-xdist (the ``-n`` of ``addopts``) these are made once per run, not once per
worker (``helpers.shared_folder``); each test still has its own home and cache.

- **Hypothesis is imported without pytest's assertion rewriting** (``_import_hypothesis_unrewritten``):
  pytest rewrites every package that ships a pytest plugin, and Hypothesis's was about a second
  of each worker's collection. The tests' own asserts are rewritten as ever.

- **Temporary folders live in memory where they can.** A run writes some gigabytes of
  short-lived files (every test's copy of the cache, index builds that SQLite syncs to disk):
  with no ``--basetemp`` given and a RAM-backed ``/dev/shm`` with room, the run's base folder is
  made there, so none of it waits for a disk. It is removed when the run passes (a passing test's
  folder as soon as it ends: ``tmp_path_retention_policy``), kept when it fails, and removed by
  the next run once the process that made it has ended.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from helpers import isolate, shared_folder

CHECKOUT = Path(__file__).resolve().parent.parent


def _is_checkout(entry: str) -> bool:
    try:
        return Path(entry or os.getcwd()).resolve() == CHECKOUT
    except OSError:
        return False


def _findable(name: str) -> bool:
    """Whether ``name`` can be imported from the current ``sys.path`` (and import hooks, such as
    an editable install's finder), whether or not it is imported already."""
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        if find_spec is not None and find_spec(name, None) is not None:
            return True
    return False


def _import_the_installed_phrasekit() -> None:
    original = list(sys.path)
    sys.path[:] = [entry for entry in original if not _is_checkout(entry)]
    if sys.path == original:
        return
    importlib.invalidate_caches()
    if not _findable("phrasekit"):  # not installed: test the source tree
        sys.path[:] = original
        return
    imported = sys.modules.get("phrasekit")
    if imported is not None and _is_checkout(str(Path(imported.__file__).parent.parent)):
        for name in [name for name in sys.modules if name == "phrasekit" or name.startswith("phrasekit.")]:
            del sys.modules[name]  # imported from the checkout before this ran (by a plugin, say)


_import_the_installed_phrasekit()


def _import_hypothesis_unrewritten() -> None:
    """Import Hypothesis with pytest's assertion rewriting out of the way. pytest rewrites the
    asserts of every package that ships a pytest plugin, Hypothesis's hundred-odd modules among
    them: each worker paid about a second for it at collection (and, with no bytecode written,
    every run). Those asserts are Hypothesis's own checks, not the tests'; they run unchanged,
    only without pytest's rewritten messages. The tests' own modules are rewritten as before."""
    hooks = [finder for finder in sys.meta_path if type(finder).__name__ == "AssertionRewritingHook"]
    for hook in hooks:
        sys.meta_path.remove(hook)
    try:
        import hypothesis.strategies  # noqa: F401  (imports hypothesis and what its strategies need)
    except ImportError:  # not installed: the tests that use it say so
        pass
    finally:
        sys.meta_path[0:0] = hooks


_import_hypothesis_unrewritten()


def _no_deadlines() -> None:
    """No Hypothesis example has a deadline: a timing threshold in a test fails on a slow or busy
    machine, not on a defect (the first examples of a cold run pay for compiling the rules).
    Speed is measured in ``benchmarks/``."""
    try:
        from hypothesis import settings
    except ImportError:
        return
    settings.register_profile("phrasekit", deadline=None)
    settings.load_profile("phrasekit")


_no_deadlines()


BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class _NumpyOnOneBlasThread:
    """NumPy's BLAS starts on one thread in a test process when a test imports numpy before
    phrasekit planned its threads (``encoder.plan_threads``): left to itself OpenBLAS starts a
    thread per core, and beside the other pytest-xdist worker on a 2-core machine the second one
    only spins (a test encoding texts itself took three times the CPU for the same vectors).
    The thread variables are set only while numpy is first imported, where OpenBLAS reads them,
    and not when phrasekit or the user set any: no process the tests start inherits them, and
    phrasekit's own plan (a query, bulk embedding) is what it always is."""

    def find_spec(self, name, path=None, target=None):
        if name != "numpy" or any(os.environ.get(var) for var in BLAS_THREAD_VARS):
            return None
        later = sys.meta_path[sys.meta_path.index(self) + 1 :] if self in sys.meta_path else []
        spec = next((found for finder in later if (found := _spec(finder, name, path, target))), None)
        if spec is None or spec.loader is None:
            return spec
        load, finder = spec.loader.exec_module, self

        def exec_module(module):  # the import itself, not a probe (find_spec) for the extra
            if finder in sys.meta_path:
                sys.meta_path.remove(finder)
            os.environ.update(dict.fromkeys(BLAS_THREAD_VARS, "1"))
            try:
                load(module)
            finally:
                for var in BLAS_THREAD_VARS:
                    os.environ.pop(var, None)

        spec.loader.exec_module = exec_module
        return spec


def _spec(finder, name, path, target):
    find_spec = getattr(finder, "find_spec", None)
    return find_spec(name, path, target) if find_spec is not None else None


if "numpy" not in sys.modules:
    sys.meta_path.insert(0, _NumpyOnOneBlasThread())

os.environ["PHRASEKIT_DEBUG"] = "1"


RAM_FOLDER = Path("/dev/shm")
RAM_NEEDED = 2 << 30
"""Bytes ``/dev/shm`` must have free to take a run's temporary folders: a run holds about 200 MB
at once (the model's converted copy, the session's caches, the tests in progress), and a failed
test's folder is kept; a small ``/dev/shm`` (a container's 64 MB) is left alone."""
RAM_BASE = pytest.StashKey[str]()


def _ended(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # another user's process
        pass
    return False


def _base_folder_in_memory(config: pytest.Config) -> None:
    if config.option.basetemp or hasattr(config, "workerinput"):  # chosen, or a worker's (xdist sets it)
        return
    try:
        free = os.statvfs(RAM_FOLDER)
    except OSError:
        return
    if free.f_bavail * free.f_frsize < RAM_NEEDED or not os.access(RAM_FOLDER, os.W_OK):
        return
    for old in RAM_FOLDER.glob("phrasekit-tests-*-*"):  # a failed or killed run's
        pid = old.name.split("-")[2]
        if pid.isdigit() and _ended(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    folder = tempfile.mkdtemp(prefix=f"phrasekit-tests-{os.getpid()}-", dir=RAM_FOLDER)
    config.option.basetemp = config.stash[RAM_BASE] = folder


def pytest_configure(config):
    config.addinivalue_line("markers", "fresh_cache: start with an empty cache folder, not the session's bank index")
    _base_folder_in_memory(config)


def pytest_sessionfinish(session, exitstatus):
    folder = session.config.stash.get(RAM_BASE, None)
    if folder is not None and exitstatus == 0:
        shutil.rmtree(folder, ignore_errors=True)


def _build_bank_cache(root: Path) -> None:
    home = root / "home"
    home.mkdir()
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate(monkeypatch, home)
        from phrasekit.index import load_index

        loaded = load_index(())
        assert loaded.state != "memory" and not loaded.problems, (loaded.state, loaded.problems)
        del loaded  # closes the index
    assert any((home / ".cache").rglob("*")), "the bank's index was not written"


@pytest.fixture(scope="session")
def bank_cache(tmp_path_factory) -> Path:
    """A cache folder holding the built-in bank's compiled index, built once per session in a
    home set up like a test's (so the index is current in every test's home)."""
    return shared_folder(tmp_path_factory, "bank-cache", _build_bank_cache) / "home" / ".cache"


class IndexStore:
    """The cache entries of the bank with fixed ``--path`` folders, each built once per run in a
    home set up like a test's, from a copy of the bank's cache (as a test's cache starts)."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory, bank_cache: Path) -> None:
        self._factory = tmp_path_factory
        self._bank_cache = bank_cache
        self._entries: dict[tuple[str, ...], Path] = {}

    def entry(self, folders: tuple[str, ...]) -> Path:
        """The entry file for the bank with ``folders`` on ``--path``, built on first use."""
        if folders not in self._entries:
            import zlib

            name = f"index-{zlib.crc32(repr(folders).encode('utf-8', 'surrogateescape')):08x}"
            built = shared_folder(self._factory, name, lambda root: self._build(root, folders))
            (self._entries[folders],) = (built / "home" / ".cache" / "phrasekit").glob("index-*.sqlite")
        return self._entries[folders]

    def _build(self, root: Path, folders: tuple[str, ...]) -> None:
        home = root / "home"
        shutil.copytree(self._bank_cache, home / ".cache")
        with pytest.MonkeyPatch.context() as monkeypatch:
            isolate(monkeypatch, home)
            from phrasekit.index import entry_file, load_index

            loaded = load_index(folders)
            assert loaded.state == "rebuilt", (folders, loaded.state)
            del loaded  # closes the index
            entry = Path(entry_file(folders))
        for other in entry.parent.glob("index-*"):
            if other != entry:
                other.unlink()  # the bank's own entry: every test's cache has it already


@pytest.fixture(scope="session")
def index_store(tmp_path_factory, bank_cache) -> IndexStore:
    return IndexStore(tmp_path_factory, bank_cache)


@pytest.fixture
def prebuilt_index(isolated_home, index_store):
    """``prebuilt_index(*folders)`` puts in this test's cache the index entry of the bank with
    ``folders`` on ``--path`` (in that order), built once per run: a command given the same
    ``--path`` options answers from it as from an entry an earlier run of it wrote. For packs the
    test only reads, when building their index is not what it tests."""

    def give(*folders: str | os.PathLike) -> None:
        entry = index_store.entry(tuple(os.fspath(folder) for folder in folders))
        target = isolated_home / ".cache" / entry.parent.name
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(entry, target / entry.name)

    return give


@pytest.fixture(scope="session")
def builtin_pack():
    """The built-in bank as ``load_pack`` reads it from its files, once per session: tests only
    read it (a test of reading the bank reads it itself)."""
    from phrasekit.packs import builtin_pack_dir, load_pack

    return load_pack(builtin_pack_dir(), "builtin")


@pytest.fixture(autouse=True)
def isolated_home(request, tmp_path, monkeypatch):
    """Keep the user's config, cache and installed packs out of every test."""
    home = tmp_path / "home"
    home.mkdir()
    if request.node.get_closest_marker("fresh_cache") is None:
        shutil.copytree(request.getfixturevalue("bank_cache"), home / ".cache")
    isolate(monkeypatch, home)
    return home
