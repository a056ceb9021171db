"""Compiling the regular expressions that rules are written in, so that none can hang ``check``.

Python's ``re`` is a backtracking engine: ``(a+)+$`` takes exponential time on a run of ``a``s,
``.*a.*a.*b`` polynomial time, and even a plain ``\\w+@`` is retried from every position of a long
word, which is quadratic. Every pattern a rule runs (the built-in ones in rules.yaml and each
pack's ``avoid:`` entries) is compiled here, in two steps:

1. The pattern is parsed with Python's own parser and its worst case is estimated: how many ways a
   backtracking matcher can try from one position of the draft. Backreferences, repeats inside
   repeats, repeated alternations whose branches can match the same text, huge counts and
   estimates over ``MAX_STEPS`` are refused with a ``PatternError`` saying what to write instead.
2. Every unbounded repeat (``*``, ``+``, ``{n,}``) is given the bound ``UNBOUNDED_CAP``, so a
   pattern costs at most a constant number of steps at each position and a search is linear in the
   draft. A rule names a phrase in a sentence, never a stretch of more than ``UNBOUNDED_CAP``
   characters of one kind.

This is why no second engine (re2) is needed: what passes here already runs in linear time on
``re``, and every install reads the same patterns the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from .errors import Location, PhrasekitError

try:  # Python 3.11+
    from re import _compiler, _parser
except ImportError:  # Python 3.10
    import sre_compile as _compiler  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

UNBOUNDED_CAP = 200
"""Most characters one unbounded repeat matches: a long sentence; the same bound as a quotation in
check.QUOTE_RE. Larger makes each position of a long word dearer (the cost per position grows with
it)."""
MAX_COUNT = 1000
"""Most repetitions a pattern may ask for in ``{m,n}``; more is a typo or an attempt to stall."""
MAX_STEPS = 20_000
"""Most backtracking steps the estimate allows from one position of the draft (an upper bound; a
real draft costs far less). One ``.*`` is about 400, ``[^.]{0,40}x[^.]{0,40}y`` about 2,000;
``.*a.*b`` (two unbounded repeats that can split the same text) is about 80,000 and refused."""
MAX_LENGTH = 2000
"""Longest pattern accepted, in characters (the longest built-in one is about 1,500)."""

_HUGE = 10**12  # estimates are clipped here so the arithmetic stays small


FEW = 8
"""A repeat of an alternation whose branches start alike is refused above this many times (``(a|ab)*``,
``(so|such){1,20}``); up to it, ``(?:a|an|the)?``-like groups cost a handful of tries."""

_ALTERNATION = ("a repeated alternation whose branches can start with the same text (like (a|ab)*) can "
                "take exponential time; make the branches start differently ((ab?)* for (a|ab)*), or repeat "
                "each one on its own")  # fmt: skip
_NESTED = ("a repeat inside a repeat (like (a+)+ or (.*a){20}) can take exponential time; repeat the inner "
           "part once (a+ instead of (a+)+) or bound it ([^.]{0,40} instead of .*)")  # fmt: skip


class PatternError(PhrasekitError):
    """A regular expression that does not compile or that could stall ``check``."""


class SlowPattern(PatternError):
    """A regular expression that compiles but could stall ``check``: refused by ``packs validate``,
    and only its rule is left out when the pack loads (the pack's phrases stay)."""


def _alphabet() -> str:
    """The characters the estimate tells classes apart by: Latin-1, Latin Extended-A and a few
    letters, digits and spaces from further on. A literal outside it counts as any character."""
    extra = "\u2019\u2018\u201c\u201d\u2013\u2014\u00a0\u2028\u3000\u0660\u0969\u03b1\u0431\u4e00\u212a\u0130\u0131"
    return "".join(chr(c) for c in range(0x180)) + extra


ALPHABET = _alphabet()
_ALL = (1 << len(ALPHABET)) - 1
_INDEX = {c: n for n, c in enumerate(ALPHABET)}


def _category(name: str, ch: str, ascii_only: bool) -> bool:
    if ascii_only and not ch.isascii():
        inside = False
    elif "DIGIT" in name:
        inside = ch.isdecimal()
    elif "SPACE" in name:
        inside = ch.isspace()
    elif "WORD" in name:
        inside = ch.isalnum() or ch == "_"
    else:  # LINEBREAK
        inside = ch == "\n"
    return inside != ("NOT_" in name)


def _same(a: str, b: str, fold: bool) -> bool:
    return a == b or (fold and (a.lower() == b.lower() or a.upper() == b.upper()))


def _in_class(items: tuple, ch: str, fold: bool, ascii_only: bool) -> bool:
    """Whether ``ch`` is in a parsed ``[...]`` (negation aside)."""
    for op, av in items:
        if op == "LITERAL" and _same(ch, chr(av), fold):
            return True
        if op == "CATEGORY" and _category(str(av), ch, ascii_only):
            return True
        if op == "RANGE" and any(
            len(v) == 1 and av[0] <= ord(v) <= av[1] for v in ((ch, ch.lower(), ch.upper()) if fold else (ch,))
        ):
            return True
    return False


def _outside(op: str, av: object) -> bool:
    """Whether a class names a character the alphabet lacks (it then counts as any character)."""
    if op in ("LITERAL", "NOT_LITERAL"):
        return chr(av) not in _INDEX  # type: ignore[arg-type]
    if op == "IN":
        return any(
            item_op in ("LITERAL", "RANGE")
            and any(chr(c) not in _INDEX for c in (item_av if item_op == "RANGE" else (item_av,)))
            for item_op, item_av in av
        )  # type: ignore[attr-defined]
    return False


@lru_cache(maxsize=4096)
def _mask(op: str, av: object, fold: bool, ascii_only: bool) -> int:
    """The alphabet's characters one character class matches, as bits; ``av`` is made hashable."""
    if op == "ANY" or _outside(op, av):
        return _ALL
    if op in ("LITERAL", "NOT_LITERAL"):
        bits = sum(1 << n for n, c in enumerate(ALPHABET) if _same(c, chr(av), fold))  # type: ignore[arg-type]
        return bits if op == "LITERAL" else _ALL & ~bits
    negate = any(item_op == "NEGATE" for item_op, _ in av)  # type: ignore[attr-defined]
    bits = sum(1 << n for n, c in enumerate(ALPHABET) if _in_class(av, c, fold, ascii_only))  # type: ignore[arg-type]
    return _ALL & ~bits if negate else bits


def _agree(one: list[int], other: list[int]) -> bool:
    """Whether two starts (from ``_Estimate.start``) can be the same text."""
    return all(a & b for a, b in zip(one, other, strict=False))  # the shorter one is all it knows


def _frozen(av):
    return tuple((str(op), _frozen(v) if isinstance(v, list) else v) for op, v in av) if isinstance(av, list) else av


class _Node:
    """The estimate for a piece of pattern: the characters it can start with, whether it can match
    nothing, how many ways it can match from one position, and the steps to try them all."""

    __slots__ = ("first", "empty", "ways", "steps", "ambiguous_branch")

    def __init__(self, first: int, empty: bool, ways: int, steps: int, ambiguous_branch: bool = False) -> None:
        self.first, self.empty = first, empty
        self.ways, self.steps = min(ways, _HUGE), min(steps, _HUGE)
        self.ambiguous_branch = ambiguous_branch


class _Estimate:
    def __init__(self, flags: int) -> None:
        self.flags = flags

    def sequence(self, items, follow: int, fold: bool) -> _Node:
        """``items`` in order, followed by text starting with a character of ``follow``."""
        nodes: list[_Node] = []
        after = follow
        for op, av in reversed(list(items)):
            node = self.item(str(op), av, after, fold)
            nodes.append(node)
            after = node.first | (after if node.empty else 0)
        nodes.reverse()
        ways, steps, first, empty, branchy = 1, 0, 0, True, False
        for node in nodes:
            if empty:
                first |= node.first
            empty = empty and node.empty
            steps += ways * node.steps
            ways = min(ways * node.ways, _HUGE)
            branchy = branchy or node.ambiguous_branch
        return _Node(first, empty, ways, steps, branchy)

    def item(self, op: str, av, follow: int, fold: bool) -> _Node:
        if op in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            ascii_only = bool(self.flags & re.ASCII)
            return _Node(_mask(op, _frozen(av), fold, ascii_only), False, 1, 1)
        if op == "AT":
            return _Node(0, True, 1, 1)
        if op in ("GROUPREF", "GROUPREF_EXISTS", "GROUPREF_IGNORE", "GROUPREF_LOC_IGNORE", "GROUPREF_UNI_IGNORE"):
            raise PatternError("a backreference (\\1, (?P=name), (?(1)...)) can take exponential time; "
                               "write the text out again instead")  # fmt: skip
        if op == "SUBPATTERN":
            _group, add, remove, items = av
            inner_fold = (fold or bool(add & re.IGNORECASE)) and not (remove & re.IGNORECASE)
            return self.sequence(items.data, follow, inner_fold)
        if op == "ATOMIC_GROUP":
            inner = self.sequence(av.data, follow, fold)
            return _Node(inner.first, inner.empty, 1, inner.steps)
        if op in ("ASSERT", "ASSERT_NOT"):
            inner = self.sequence(av[1].data, _ALL, fold)
            return _Node(0, True, 1, inner.steps)
        if op == "BRANCH":
            return self.branch(av[1], follow, fold)
        if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            return self.repeat(op, av, follow, fold)
        raise PatternError(f"this kind of expression ({op.lower()}) is not supported in rules")

    def branch(self, branches, follow: int, fold: bool) -> _Node:
        nodes = [self.sequence(b.data, follow, fold) for b in branches]
        starts = [self.start(b.data, follow, fold) for b in branches]
        # At one position only branches that agree on their first characters can all match: the
        # ways are at most those of a branch and of every branch that can start as it does.
        ways = 0
        for n, node in enumerate(nodes):
            close = [m for m in range(len(nodes)) if m != n and _agree(starts[n], starts[m])]
            ways = max(ways, node.ways + sum(nodes[m].ways for m in close))
        # Repeated, branches that can start alike are refused outright (see ``repeat``): a rule
        # anyone can follow, where the finer test above would accept (a|ab)* but not (a|ab)*b.
        first, alike = 0, any(n.empty for n in nodes)
        for node in nodes:
            alike = alike or bool(first & node.first)
            first |= node.first
        return _Node(first, any(n.empty for n in nodes), ways, sum(n.steps for n in nodes),
                     alike or any(n.ambiguous_branch for n in nodes))  # fmt: skip

    def start(self, items, follow: int, fold: bool, length: int = 4) -> list[int]:
        """The characters each of the first ``length`` characters of a match can be, as far as
        they are single characters (then the text after the piece); shorter when unknown."""
        masks: list[int] = []
        ascii_only = bool(self.flags & re.ASCII)
        for op, av in items:
            if len(masks) == length:
                return masks
            if str(op) not in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
                return masks
            masks.append(_mask(str(op), _frozen(av), fold, ascii_only))
        return masks + [follow] if len(masks) < length else masks

    def repeat(self, op: str, av, follow: int, fold: bool) -> _Node:
        low, high, items = av
        if low > MAX_COUNT or (high != _parser.MAXREPEAT and high > MAX_COUNT):
            raise PatternError(f"a repeat of more than {MAX_COUNT} ({{{high if high != _parser.MAXREPEAT else low}}}) "
                               f"makes every position of the draft slow; a rule names a phrase: use a few repeats "
                               f"(e.g. {{1,40}})")  # fmt: skip
        unbounded = high == _parser.MAXREPEAT
        if unbounded:
            high = max(low, UNBOUNDED_CAP)
        first_guess = self.sequence(items.data, follow, fold).first
        inner = self.sequence(items.data, first_guess | follow, fold)
        spread = high - low + 1
        if inner.ambiguous_branch and (unbounded or high > FEW):
            raise PatternError(_ALTERNATION)
        steps = high * max(inner.steps, 1) + spread  # the longest run, then giving it back one by one
        if inner.ways > 1 and high > 1:  # each repetition can match in several ways: they multiply
            ways = min(sum(inner.ways**k for k in range(low, min(high, 40) + 1)), _HUGE)
            steps = max(steps, ways * max(inner.steps, 1))
            if steps > MAX_STEPS:
                raise PatternError(_ALTERNATION if inner.ambiguous_branch else _NESTED)
        else:  # one way per count; the counts only matter when what follows could start inside
            ways = spread if (inner.first & follow or inner.empty) else 1
        if op == "POSSESSIVE_REPEAT":
            ways = 1
        return _Node(inner.first, inner.empty or low == 0, ways, steps, inner.ambiguous_branch)


def _cap(items: list) -> None:
    """Give every unbounded repeat in the parsed pattern (changed in place) the bound ``UNBOUNDED_CAP``."""
    for n, (op, av) in enumerate(items):
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, inner = av
            _cap(inner.data)
            if high == _parser.MAXREPEAT:
                items[n] = (op, (low, max(low, UNBOUNDED_CAP), inner))
        elif name == "SUBPATTERN":
            _cap(av[3].data)
        elif name in ("ASSERT", "ASSERT_NOT"):
            _cap(av[1].data)
        elif name == "ATOMIC_GROUP":
            _cap(av.data)
        elif name == "BRANCH":
            for branch in av[1]:
                _cap(branch.data)


def compile_pattern(
    pattern: object, flags: int = 0, where: Location | None = None, *, estimate: bool = True
) -> re.Pattern:
    """``pattern`` compiled with every repeat bounded, or a ``PatternError`` (at ``where``) saying
    why it could stall ``check`` or does not compile, and what to write instead.

    ``estimate=False`` skips the estimate (not the bounds): for the built-in rules, which are
    reviewed and timed on hostile drafts (tests/test_hostile.py), and whose long alternations of
    literal words the estimate overrates."""
    return _Parsed(pattern, flags, where, estimate).compiled()


class _Parsed:
    """One pattern parsed (and, with ``estimate``, judged), compiled on first use."""

    def __init__(self, pattern: object, flags: int, where: Location | None, estimate: bool) -> None:
        text = str(pattern)
        flags = int(flags)  # as re.compile does: its parser tests a plain int far faster than a RegexFlag
        where = where or Location("-")
        if len(text) > MAX_LENGTH:
            raise SlowPattern(f"a regular expression of {len(text):,} characters is too long (at most "
                               f"{MAX_LENGTH:,}); split it into several rules", where)  # fmt: skip
        try:
            parsed = _parser.parse(text, flags)
        except re.error as exc:
            raise PatternError(f"invalid regular expression {text!r}: {exc.msg}", where) from None
        except RecursionError:
            raise PatternError(f"regular expression {text[:40]!r}... is nested too deeply", where) from None
        self.flags = flags | parsed.state.flags
        if estimate:
            _refuse_slow(parsed, self.flags, text, where)
        fold = bool(self.flags & re.IGNORECASE)
        self.needs = _needs(parsed.data, fold)
        """Strings of which a match holds one (lowercase when case is ignored), or ``None``."""
        self.also = tuple(_all_needs(parsed.data, fold))
        """More such sets, every one of which a match holds one of (``_all_needs``)."""
        self.fold = fold
        self.parsed = parsed
        self.text = text
        self._compiled: re.Pattern | None = None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            _cap(self.parsed.data)
            # From the parsed form: parsing again would double the cost of start-up.
            self._compiled = _compiler.compile(self.parsed, self.flags)
        return self._compiled

    def stored(self, flags: int) -> tuple:
        """This pattern as plain data (``Patterns.from_stored``): its text, the ``flags`` it was
        given, the words a match needs, whether case is ignored and the further words it needs."""
        return (str(self.text), int(flags), self.needs, self.fold, self.also)


def _literal(name: str, av, fold: bool) -> str:
    """The character a ``LITERAL`` item stands for when a run of needed text may hold it (an ASCII
    letter, digit, space, apostrophe or dash, folded with ``fold``), else ``""``."""
    if name != "LITERAL" or not chr(av).isascii() or not (chr(av).isalnum() or chr(av) in " '-"):
        return ""
    return chr(av).lower() if fold else chr(av)


def _inner(name: str, av):
    """The items a match of this item cannot skip: a group's (unless it sets its own case), a
    repeat's that repeats at least once, an atomic group's; ``None`` for any other item."""
    if name == "SUBPATTERN" and not (av[1] | av[2]) & re.IGNORECASE:
        return av[3].data
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
        return av[2].data
    if name == "ATOMIC_GROUP":
        return av.data
    return None


def _needs(items, fold: bool) -> frozenset[str] | None:
    """Strings one of which every match of ``items`` contains, or ``None`` when none is known: the
    first run of literal characters that a match cannot skip, or of each branch of an alternation
    it cannot skip. Only ASCII letters, digits, spaces and apostrophes are taken (their case is
    plain); anything else ends the run."""
    run = ""
    for op, av in items:
        name = str(op)
        char = _literal(name, av, fold)
        if char:
            run += char
            continue
        if run:
            return frozenset([run])
        found = None
        inner = _inner(name, av)
        if inner is not None:
            found = _needs(inner, fold)
        elif name == "BRANCH":
            each = [_needs(branch.data, fold) for branch in av[1]]
            found = frozenset().union(*each) if all(each) else None
        if found:
            return found
    return frozenset([run]) if run else None


def _all_needs(items, fold: bool) -> list[frozenset[str]]:
    """Every set of strings that a match of ``items`` holds one of, as far as known: each run of
    literal characters (taken as ``_needs`` takes them) that a match cannot skip, wherever it is
    in the pattern, and for an alternation one set of the longest such run of each branch (when
    every branch has one). A draft that lacks one of any set cannot match, so ``check`` neither
    compiles nor runs the pattern for it; ``_needs`` alone took only the first run ("you"), which
    most drafts hold."""
    found: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        name = str(op)
        char = _literal(name, av, fold)
        if char:
            run += char
            continue
        if run:
            found.append(frozenset([run]))
            run = ""
        inner = _inner(name, av)
        if inner is not None:
            found += _all_needs(inner, fold)
        elif name == "BRANCH":
            each = [_all_needs(branch.data, fold) for branch in av[1]]
            if all(each):
                found.append(frozenset().union(*(max(sets, key=lambda one: min(map(len, one))) for sets in each)))
    if run:
        found.append(frozenset([run]))
    return found


class _Stored:
    """A pattern read back from ``_Parsed.stored``: what ``Patterns`` asks of a parsed one (the
    words a match needs, whether case is ignored) with no parsing, and the compiled pattern,
    made from its text (with its bounds) only when a draft holds the words a match needs. Its
    checks were passed when it was stored."""

    __slots__ = ("text", "flags", "needs", "fold", "also", "_compiled")

    def __init__(self, text: str, flags: int, needs, fold: bool, also: tuple = ()) -> None:
        self.text, self.flags, self.needs, self.fold, self.also = text, flags, needs, fold, tuple(also)
        self._compiled: re.Pattern | None = None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = _Parsed(self.text, self.flags, None, False).compiled()
        return self._compiled


class Haystack:
    """A text that patterns are asked about, with its lowercase form when that is safe to test
    (ASCII only: ``re.IGNORECASE`` also matches the Kelvin sign to ``k`` and the long s to ``s``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lowered = text.lower() if text.isascii() else None

    def may_hold(self, needs: frozenset[str] | None, fold: bool) -> bool:
        if needs is None:
            return True
        if fold:
            if self.lowered is None:
                return True
            return any(word in self.lowered for word in needs)
        return any(word in self.text for word in needs)


def _refuse_slow(parsed, flags: int, text: str, where: Location) -> None:
    try:
        estimate = _Estimate(flags).sequence(parsed.data, _ALL, bool(flags & re.IGNORECASE))
    except PatternError as exc:
        raise SlowPattern(f"regular expression {text!r} refused: {exc.message}", where) from None
    except RecursionError:
        raise SlowPattern(f"regular expression {text[:40]!r}... is nested too deeply", where) from None
    if estimate.steps > MAX_STEPS:
        raise SlowPattern(f"regular expression {text!r} refused: its repeats can split the text in too "
                           f"many ways (like .*a.*b); bound them ([^.]{{0,40}} instead of .*) or use "
                           f"fewer", where)  # fmt: skip


class Patterns(Sequence):
    """A rule's patterns, parsed and compiled on first use, and asked only about texts they could
    match: ``check`` neither compiles nor runs a pattern whose words are not in the draft (the
    built-in rules hold about 180 patterns; compiling them all was most of a short check's time).
    ``lazy=False`` parses them at once, so a pattern that could stall is refused when the rule is
    made (as for a pack's rules); a lazy one is refused when first used."""

    def __init__(self, sources: Iterable[object], flags: int, where: Location, *, estimate: bool = True,
                 lazy: bool = False) -> None:  # fmt: skip
        self.sources = tuple(str(s) for s in sources)
        self.flags, self.where, self.estimate = flags, where, estimate
        self._parsed: tuple[_Parsed, ...] | None = None
        if not lazy:
            self.parsed()

    @classmethod
    def from_stored(cls, items: Sequence[tuple], flags: int, where: Location) -> Patterns:
        """Patterns from what ``stored`` gave, with no parsing."""
        self = cls((), flags, where, estimate=False, lazy=True)
        self.sources = tuple(item[0] for item in items)
        self._parsed = tuple(_Stored(*item[:5]) for item in items)  # type: ignore[assignment]
        return self

    def stored(self) -> list[tuple]:
        """Each pattern as plain data (``_Parsed.stored``), for ``from_stored``."""
        return [one.stored(self.flags) for one in self.parsed()]  # type: ignore[union-attr]

    def parsed(self) -> tuple[_Parsed, ...]:
        if self._parsed is None:
            self._parsed = tuple(_Parsed(s, self.flags, self.where, self.estimate) for s in self.sources)
        return self._parsed

    def may_match(self, number: int, haystack: Haystack) -> bool:
        """Whether pattern ``number`` can match somewhere in ``haystack`` (without compiling it)."""
        one = self.parsed()[number]
        return haystack.may_hold(one.needs, one.fold) and all(haystack.may_hold(words, one.fold) for words in one.also)

    def could_match(self, haystack: Haystack) -> Iterator[re.Pattern]:
        """The patterns, compiled, that can match somewhere in ``haystack`` (in order)."""
        for number, one in enumerate(self.parsed()):
            if self.may_match(number, haystack):
                yield one.compiled()

    def __len__(self) -> int:
        return len(self.sources)

    def __getitem__(self, index):  # type: ignore[override]
        return self.parsed()[index].compiled()

    def __iter__(self) -> Iterator[re.Pattern]:
        return (one.compiled() for one in self.parsed())

    def __repr__(self) -> str:
        return f"Patterns({self.sources!r})"
