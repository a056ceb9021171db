"""Semantic ranking: the numpy encoder, the model checks, and fused search.

Tests that need the model skip with the reason when it is not installed, unless
PHRASEKIT_REQUIRE_MODEL=1 (set in CI), which turns the skip into a failure.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import isolate, read_yaml, shared_folder
from phrasekit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
HOMEBANK = ROOT / "benchmarks" / "semantic" / "homebank"


def _require_model():
    from phrasekit.semantic import unavailable_reason

    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get("PHRASEKIT_REQUIRE_MODEL") == "1":
            pytest.fail(f"PHRASEKIT_REQUIRE_MODEL=1 but {reason}")
        pytest.skip(reason)


def _link_or_copy(source: Path, target: Path) -> None:
    """The weights' copy (123 MB) is linked, not copied: the encoder only reads it, and a new one
    would replace the file, not rewrite it. Smaller files are copied."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.stat().st_size > 1 << 20:
        try:
            os.link(source, target)
            return
        except OSError:
            pass
    shutil.copy2(source, target)


def _make_model_copy(root: Path) -> None:
    home = root / "home"
    home.mkdir()
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate(monkeypatch, home)
        from phrasekit.encoder import load_encoder

        load_encoder()


@pytest.fixture(scope="session")
def model_copy(tmp_path_factory):
    """The checked copy of the weights that the encoder keeps in the cache folder, made
    once per session (checking and converting them costs seconds): its files, by name."""
    _require_model()
    home = shared_folder(tmp_path_factory, "model-copy", _make_model_copy) / "home"
    files = {path.name: path for path in (home / ".cache" / "phrasekit").iterdir() if path.is_file()}
    assert files, "the encoder kept no copy of the weights"
    return files


@pytest.fixture
def model(isolated_home, monkeypatch, model_copy):
    for name, path in model_copy.items():
        _link_or_copy(path, isolated_home / ".cache" / "phrasekit" / name)
    monkeypatch.delenv("PHRASEKIT_SEMANTIC")


@pytest.fixture(scope="session")
def homebank_cache(tmp_path_factory, bank_cache, model_copy):
    """A cache folder in which the bank and the homebank pack are indexed and embedded, once per
    session (embedding the pack takes most of a search's time the first time). On one BLAS
    thread, as in every test (``isolate``): the vectors are the same bytes with any number
    (compared with 1 and 4), and beside the other pytest-xdist worker a second thread only
    spins (two cost 60% more CPU for no quicker embedding on a 2-core machine)."""

    def embed(root: Path) -> None:
        home = root / "home"
        shutil.copytree(bank_cache, home / ".cache")
        for name, path in model_copy.items():
            _link_or_copy(path, home / ".cache" / "phrasekit" / name)
        with pytest.MonkeyPatch.context() as monkeypatch:
            isolate(monkeypatch, home)
            monkeypatch.delenv("PHRASEKIT_SEMANTIC")
            monkeypatch.setattr("phrasekit.encoder.bulk_thread_count", lambda: 1)  # model embed's plan
            result = run("--path", str(HOMEBANK), "model", "embed")
            assert result.exit_code == 0, result.output
            status = json.loads(run("--path", str(HOMEBANK), "model", "status", "--json").stdout)
            assert status["phrases_with_vectors"] == status["phrases"] > 0, status

    return shared_folder(tmp_path_factory, "homebank-cache", embed) / "home" / ".cache"


@pytest.fixture
def homebank(model, isolated_home, homebank_cache, model_copy):
    """The homebank pack with its vectors ready, as after a first search with it."""
    for source in homebank_cache.rglob("*"):
        target = isolated_home / ".cache" / source.relative_to(homebank_cache)
        if source.is_file() and source.name not in model_copy:  # the model's copy is linked already
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_encoder_matches_the_reference_implementation(model):
    import numpy as np

    from phrasekit.encoder import load_encoder

    reference = json.loads((ROOT / "tests" / "fixtures" / "semantic" / "reference.json").read_text())
    vectors = load_encoder().encode(reference["sentences"], batch_size=4)
    expected = np.asarray(reference["vectors"], dtype=np.float32)
    cosines = (vectors * expected).sum(1) / np.linalg.norm(expected, axis=1)
    assert cosines.min() >= 0.9999, cosines


WORDPIECE_CASES = [
    "", "   ", "parcel never came", "PKG marked DELIVERED, never came (3rd call)!!", "don't e-mail me @ 5pm #refund",
    "x\x00y\x07z\tq\r\nw\x0b\x0cv\x1f\x7fu", "a" * 100, "b" * 101, "##ing ##s", "unaffable misdelivered qwzxv",
    "[cls] [sep] lower case marks are words", "[CLS] a special token written out", "ends with [MASK]",
    "caf\u00e9 au lait", "\u2018curly quotes\u2019", "word " * 300, "1234567890 3.14 $100 out, only $20",
]  # fmt: skip


def _library_ids(encoder, text):
    return encoder.tokenizer.encode(text).ids


def test_the_plain_python_wordpiece_gives_the_librarys_ids(model, builtin_pack):
    from phrasekit.encoder import load_encoder

    encoder = load_encoder()
    wordpiece = encoder.wordpiece
    assert wordpiece is not None
    bank = [t for p in builtin_pack.phrases for t in (p.text, *p.situations)]
    bank += [t for family in builtin_pack.families.values() for t in family.situations]
    bank += [m["text"] for m in read_yaml(HOMEBANK / "messages.yaml")["messages"]]
    for text in bank:  # every ASCII one tokenised here, as the library does
        expected = _library_ids(encoder, text) if text.isascii() else None
        assert wordpiece.ids(text) == expected, text
    wordpiece.LOOKUPS = 10**6  # no text left to the library for taking long
    for text in WORDPIECE_CASES:
        ids = wordpiece.ids(text)
        if not text.isascii() or any(mark in text for mark in ("[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]")):
            assert ids is None, text  # left to the library
        else:
            assert ids == _library_ids(encoder, text), text
    assert len(wordpiece.ids("word " * 300)) == 256


def test_a_text_that_takes_the_plain_python_wordpiece_long_is_left_to_the_library(model):
    from phrasekit.encoder import load_encoder

    encoder = load_encoder()
    costly = " ".join(["qxzvk" * 20] * 3)  # words of 100 letters whose only known pieces are letters
    assert encoder.wordpiece.ids(costly) is None
    assert encoder.token_ids([costly]) == [_library_ids(encoder, costly)]


def test_the_plain_python_wordpiece_agrees_on_any_ascii_text(model):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from phrasekit.encoder import load_encoder

    encoder = load_encoder()
    wordpiece = encoder.wordpiece
    wordpiece.LOOKUPS = 10**6  # no text left to the library for taking long
    pieces = st.sampled_from(["parcel", "deliver", "##ed", "un", "refund", "[", "]", "CLS", "SEP", "#", "'", "-",
                              "q" * 99, "z" * 102, "\t", "\x00", "\x1c", "\x7f", " ", "  ", "42", "SoRrY"])  # fmt: skip
    ascii_text = st.text(st.characters(max_codepoint=127), max_size=60)

    @settings(max_examples=400, deadline=None, database=None)
    @given(st.lists(st.one_of(pieces, ascii_text), max_size=12).map("".join))
    def agrees(text):
        ids = wordpiece.ids(text)
        if ids is not None:
            assert ids == _library_ids(encoder, text)
        else:
            assert any(mark in text for mark in ("[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]"))

    agrees()


def test_the_weights_copy_gives_the_vectors_of_the_official_file(model, monkeypatch, tmp_path):
    import numpy as np

    from phrasekit import encoder as module

    texts = ["parcel never came", "caf\u00e9 au lait: my card was declined twice", "[CLS] written out"]
    copied = module.load_encoder()
    assert copied._copy is not None
    (tmp_path / "a-file").write_text("")
    monkeypatch.setattr(module, "_copy_path", lambda: tmp_path / "a-file" / "minilm.weights")
    official = module.load_encoder()  # no copy can be kept: the weights straight from the official file
    assert official._copy is None
    for text in texts:
        assert np.array_equal(copied.encode([text]), official.encode([text])), text
    assert np.array_equal(copied.encode(texts, batch_size=2), official.encode(texts, batch_size=2))


def test_a_damaged_or_old_copy_of_the_weights_is_made_again(isolated_home, monkeypatch):
    _require_model()
    import numpy as np

    from phrasekit.encoder import _Copy, _copy_path, after_gelu, find_model

    monkeypatch.delenv("PHRASEKIT_SEMANTIC")
    copy = _copy_path()
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(b"phrasekit-minilm 2 000000000001")  # cut short
    old = [copy.with_suffix(".f32"), copy.with_suffix(".json")]  # the layout of phrasekit 0.1
    for path in old:
        path.write_bytes(b"{}")
    result = run("search", "--semantic", "--json", "parcel never came")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["semantic_score"] > 0.5
    assert not any(path.exists() for path in old)
    assert _Copy(copy, find_model(), after_gelu(np)).tensors


def test_the_weights_copy_follows_numpys_promotion_rules(isolated_home):
    """Under NumPy 1 the pass after the GELU is float32, under NumPy 2 float64: a copy made for
    the one is made again for the other, its matrices in that dtype."""
    _require_model()
    from phrasekit import encoder as module

    with pytest.MonkeyPatch.context() as numpy_1:
        numpy_1.setattr(module, "after_gelu", lambda np: "float32")
        as_numpy_1 = module.load_encoder()
    assert {str(array.dtype) for array in as_numpy_1.w.values()} == {"float32"}
    assert str(module._copy_path()).startswith(str(isolated_home))
    as_installed = module.load_encoder()
    late = module.after_gelu(as_installed.np)
    assert as_installed.w["encoder.layer.5.output.dense.weight"].dtype == late
    assert as_installed.w["encoder.layer.0.intermediate.dense.weight"].dtype == "float32"


def test_a_customer_message_finds_phrases_that_share_no_words(homebank):
    query = "how do I get my paycheck in here"
    result = run("--path", str(HOMEBANK), "search", "--json", "--pack", "homebank", query)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert any(row["short_id"].startswith("dd-") for row in rows[:5]), [r["id"] for r in rows]
    assert {"lexical_score", "semantic_score", "score"} <= set(rows[0])
    lexical = run("--path", str(HOMEBANK), "search", "--lexical", "--json", "--pack", "homebank", query)
    assert "semantic_score" not in (json.loads(lexical.stdout) or [{}])[0]


def test_off_topic_gets_nothing(homebank):
    query = "what time should I get to the airport"
    result = run("--path", str(HOMEBANK), "search", "--json", "--pack", "homebank", query)
    assert result.exit_code == 1 and json.loads(result.stdout) == []


def test_a_changed_pack_re_embeds_only_what_changed(model, tmp_path):
    from phrasekit.encoder import load_encoder
    from phrasekit.semantic import embed_with_store

    encoder = load_encoder()
    texts = ["Sorry your card is late.", "card not arrived", "We'll send a new card today."]
    _, fresh = embed_with_store(encoder, texts)
    assert fresh == 3
    _, fresh = embed_with_store(encoder, [*texts[:2], "We'll send a new card by Friday."])
    assert fresh == 1


def test_model_status(model):
    data = json.loads(run("model", "status", "--json").stdout)
    assert data["checksum_ok"] is True and data["in_use"] is True
    assert data["size"] == data["expected_size"] == 90_868_376
    assert data["phrases"] >= 405


def _fake_model(folder: Path, size: int) -> Path:
    folder.mkdir()
    (folder / "tokenizer.json").write_text("{}")
    (folder / "config.json").write_text("{}")
    with open(folder / "model.safetensors", "wb") as stream:
        stream.truncate(size)
    return folder


@pytest.mark.parametrize("size, word", [(90_868_376, "altered"), (1000, "truncated")])
def test_an_altered_or_truncated_model_is_refused_and_search_goes_on(tmp_path, monkeypatch, size, word):
    pytest.importorskip("numpy")
    pytest.importorskip("tokenizers")
    pytest.importorskip("safetensors")
    monkeypatch.setenv("PHRASEKIT_MODEL", str(_fake_model(tmp_path / "model", size)))
    monkeypatch.delenv("PHRASEKIT_SEMANTIC")
    result = run("search", "late", "delivery")
    assert result.exit_code == 0 and "late" in result.stdout.lower()
    assert f"{word}; refused" in result.stderr and "answering by keywords" in result.stderr
    demanded = run("search", "--semantic", "late", "delivery")
    assert demanded.exit_code == 2 and f"{word}; refused" in demanded.stderr
    status = json.loads(run("model", "status", "--json").stdout)
    assert status["checksum_ok"] is False and status["in_use"] is False


def test_semantic_demanded_without_the_extra_or_model(monkeypatch):
    monkeypatch.setattr("phrasekit.semantic.unavailable_reason", lambda: "no model found: pip install ...")
    result = run("search", "--semantic", "late", "delivery")
    assert result.exit_code == 2
    assert "semantic ranking is not available: no model found" in result.stderr
    assert run("search", "late", "delivery").exit_code == 0


def test_config_can_turn_it_off(model, isolated_home):
    config = isolated_home / ".config" / "phrasekit" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("agent:\n  name: Sam\nsemantic: false\n")
    data = json.loads(run("model", "status", "--json").stdout)
    assert data["in_use"] is False and "turned off" in data["reason"]
    rows = json.loads(run("search", "--json", "late", "delivery").stdout)
    assert "semantic_score" not in rows[0]


def test_the_lexical_path_imports_no_numpy(tmp_path, isolated_home):
    env = {**os.environ, "HOME": str(isolated_home), "XDG_CACHE_HOME": str(isolated_home / ".cache")}
    env.pop("PHRASEKIT_SEMANTIC", None)
    script = (
        "import sys\nfrom phrasekit.cli import cli\ntry:\n    cli(['search', '--lexical', 'late delivery'])\n"
        "except SystemExit:\n    pass\nprint('numpy' in sys.modules, 'tokenizers' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert done.stderr.split()[-2:] == ["False", "False"]


HEAVY = ("numpy", "tokenizers", "safetensors", "phrasekit.semantic", "phrasekit.encoder")
SHOW_MODULES = (
    "import sys\nfrom phrasekit.cli import cli\ntry:\n    cli(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    "print('modules:', *sorted(m for m in sys.modules if m.split('.')[0] in {'numpy', 'tokenizers', "
    "'safetensors'} or m in {'phrasekit.semantic', 'phrasekit.encoder'}), file=sys.stderr)"
)


@pytest.mark.parametrize(
    "args",
    [["search", "--lexical", "late", "delivery"], ["script", "--lexical", "late delivery"]],
    ids=["search", "script"],
)
def test_a_keyword_only_command_imports_no_semantic_module(tmp_path, isolated_home, args):
    env = {**os.environ, "HOME": str(isolated_home), "XDG_CACHE_HOME": str(isolated_home / ".cache")}
    env.pop("PHRASEKIT_SEMANTIC", None)
    done = subprocess.run([sys.executable, "-c", SHOW_MODULES, *args], env=env, capture_output=True, text=True,
                          cwd=tmp_path)  # fmt: skip
    line = [row for row in done.stderr.splitlines() if row.startswith("modules:")]
    assert line == ["modules:"], done.stderr


@pytest.mark.parametrize("query, library", [("late delivery", False), ("late delivery \u2014 again", True)],
                         ids=["ascii", "beyond-ascii"])  # fmt: skip
def test_an_ascii_query_is_tokenised_without_the_tokenizers_library(model, tmp_path, isolated_home, query, library):
    env = {**os.environ, "HOME": str(isolated_home), "XDG_CACHE_HOME": str(isolated_home / ".cache")}
    env.pop("PHRASEKIT_SEMANTIC", None)
    done = subprocess.run([sys.executable, "-c", SHOW_MODULES, "search", "--semantic", query], env=env,
                          capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
    assert "builtin/" in done.stdout, done.stderr
    line = [row for row in done.stderr.splitlines() if row.startswith("modules:")]
    assert line and "numpy" in line[0].split() and "phrasekit.encoder" in line[0].split(), done.stderr
    assert ("tokenizers" in line[0].split()) is library, line


THREADS = """
import os, sys
from phrasekit.cli import cli
try:
    cli(sys.argv[1:])
except SystemExit:
    pass
from phrasekit.encoder import _openblas_threads
control = _openblas_threads()
print("threads:", os.environ.get("OPENBLAS_NUM_THREADS"), control[0]() if control else None, file=sys.stderr)
"""


@pytest.mark.parametrize("user", [None, "2"], ids=["planned", "user's own"])
def test_a_semantic_query_runs_on_one_blas_thread_unless_the_user_says(model, tmp_path, isolated_home, user):
    env = {**os.environ, "HOME": str(isolated_home), "XDG_CACHE_HOME": str(isolated_home / ".cache")}
    for name in ("PHRASEKIT_SEMANTIC", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(name, None)
    if user:
        env["OPENBLAS_NUM_THREADS"] = user
    done = subprocess.run([sys.executable, "-c", THREADS, "search", "--semantic", "late delivery"], env=env,
                          capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
    assert "builtin/" in done.stdout, done.stderr
    line = [row for row in done.stderr.splitlines() if row.startswith("threads:")]
    wanted = user or "1"
    assert line and line[0].split()[1] == wanted, done.stderr
    if line[0].split()[2] != "None":  # OpenBLAS found: it runs with that many threads
        assert line[0].split()[2] == wanted


def test_bulk_embedding_asks_for_more_threads_and_gives_them_back(model):
    import numpy  # noqa: F401  (loads the BLAS asked below, whether or not an earlier test in this process did)

    from phrasekit import encoder

    control = encoder._openblas_threads()
    if control is None or encoder._user_threads():
        pytest.skip("numpy's BLAS is not OpenBLAS here, or thread variables are set")
    get, put = control
    before = get()
    with encoder.blas_threads(2):
        assert get() == 2
    assert get() == before
    assert 1 <= encoder.bulk_thread_count() <= 4


def test_every_bank_text_has_a_shipped_vector(builtin_pack):
    np = pytest.importorskip("numpy")
    from phrasekit.semantic import _key, shipped_vectors

    shipped = shipped_vectors(np)
    pack = builtin_pack
    texts = [t for p in pack.phrases for t in (p.text, *p.situations)]
    texts += [t for family in pack.families.values() for t in family.situations]
    missing = [t for t in texts if _key(t) not in shipped]
    assert missing == [], "run: python benchmarks/make_bank_vectors.py"


def test_shipped_vectors_agree_with_the_encoder_and_spare_the_first_search(model, builtin_pack):
    import numpy as np

    from phrasekit.encoder import load_encoder
    from phrasekit.semantic import _key, embed_with_store, shipped_vectors

    shipped = shipped_vectors(np)
    texts = [p.text for p in builtin_pack.phrases[::40]]
    encoder = load_encoder()
    fresh = encoder.encode(texts)
    stored = np.stack([shipped[_key(t)].astype(np.float32) for t in texts])
    assert ((fresh * stored).sum(1) / np.linalg.norm(stored, axis=1)).min() >= 0.999
    _, embedded = embed_with_store(encoder, texts)
    assert embedded == 0


def test_with_semantic_ranking_families_fallback_and_nothing_hold(model):
    rows = json.loads(run("search", "--json", "my mum passed away and her phone contract is still billing").stdout)
    assert rows[0]["family"] == "bereavement" and {r["family"] for r in rows} <= {"bereavement", None}
    assert "semantic_score" in rows[0]
    general = run("search", "--json", "customer unhappy with the colour of the shop's new carpet")
    assert general.exit_code == 0
    assert all(row["fallback"] for row in json.loads(general.stdout))
    nothing = run("search", "--json", "banana bread recipe")
    assert nothing.exit_code == 1 and json.loads(nothing.stdout) == []


# ---- check by meaning (phrasekit/meaning.py) ---------------------------------------------------


def test_the_exemplars_have_their_shipped_vectors_and_the_calibrated_families_their_exemplars():
    """benchmarks/calibrate_meaning.py writes exemplars.npz: a changed exemplar without a vector
    would make every check --semantic embed them all again. (Reading the vectors needs numpy, which
    only the semantic extra installs.)"""
    np = pytest.importorskip("numpy")

    from phrasekit import meaning
    from phrasekit.semantic import _key

    found, calibrations = meaning.exemplars()
    with np.load(meaning.VECTORS, allow_pickle=False) as data:
        keys = set(data["keys"].tolist())
    assert {_key(exemplar.text) for exemplar in found} <= keys
    assert calibrations and set(calibrations) <= {exemplar.family for exemplar in found}


def test_check_semantic_adds_readings_by_meaning_to_the_plain_ones(model):
    draft = ("Hi Jo, as I told you twice already, the courier lost it. Honestly the lad on the early shift "
             "must have mislabelled your box, which is why it went astray. Those are the rules.\n")  # fmt: skip
    plain = CliRunner().invoke(cli, ["check", "--json", "--kind", "reply", "--lexical", "-"], input=draft)
    meant = CliRunner().invoke(cli, ["check", "--json", "--kind", "reply", "--semantic", "-"], input=draft)
    assert plain.exit_code == 1 and meant.exit_code == 1, meant.output
    lexical = {(f["family"], f["line"], f["column"]) for f in json.loads(plain.stdout)}
    semantic = {(f["family"], f["line"], f["column"]) for f in json.loads(meant.stdout)}
    assert lexical <= semantic
    assert all(f["sentence"] for f in json.loads(meant.stdout))
