"""The live picker behind ``phrasekit pick``: type, watch the phrases narrow, take one.

Mid-call a rep has no time for a search, a read and a copy by hand. The picker keeps the index
open for the whole session and ranks on every key stroke with the keyword ranking of ``search``
(``search.rank_phrases``, no semantic ranking: that is left for later, and must never block
typing). A ranking runs just before the screen is drawn (``PickerState.refresh`` from the
application's ``before_render``), so a burst of keys read together is ranked once, for the
latest query: a stale query is never ranked.

Two seams keep the picker apart from where a taken phrase goes and what is remembered:

- ``copy(text) -> str`` puts ``text`` on a clipboard and returns where it went, for the message
  on standard error (``default_copy``);
- a *history provider*, any object with ``ranked(limit) -> list[str]`` (full ids, best first:
  starred, recent, most used), ``record(full_id)`` (a phrase was taken) and ``star(full_id)`` (a toggle)
  (``default_history``).

``PickerState`` is the picker without a screen (query, filters, rows, selection, blanks to
fill), so its logic is plain code; ``run_picker`` draws it with prompt_toolkit, which only this
module imports, and only when a picker is shown (``search`` never pays for it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from .index import recovering

if TYPE_CHECKING:
    from .index import Index
    from .model import Phrase

LIMIT = 15
"""Phrases listed for a query. ``rank_phrases`` weighs the same 300 candidates for any limit up
to 15 (``COVERAGE_CANDIDATES``), so the list starts with exactly what ``search`` answers; a
rep mid-call reads the first few, and a filter (Tab, Ctrl-L) narrows further."""

HISTORY_LIMIT = 30
"""Phrases asked of the history for an empty query: enough to fill a list after the category
and channel filters have dropped some."""


class History(Protocol):
    """What the picker needs of the rep's history (phrasekit's history module, or a stand-in)."""

    def ranked(self, limit: int) -> list[str]: ...

    def record(self, full_id: str) -> None: ...

    def star(self, full_id: str) -> bool | None: ...


Copy = Callable[[str], str]


class Picked(NamedTuple):
    """How a picker session ended: ``how`` is "copy" or "print" (a phrase was taken: ``text``
    filled, ``where`` the copy went), "leave" (Esc) or "interrupt" (Ctrl-C)."""

    how: str
    phrase_id: str = ""
    text: str = ""
    where: str = ""


class Row(NamedTuple):
    """One line of the list, each part made safe to show (``visible``)."""

    text: str
    category: str
    pack: str
    channels: str


class PickerState:
    """The picker without a screen: a query, a category and a channel filter, the phrases that
    rank for them, the selected one and, once one is taken, the blanks still to fill."""

    def __init__(
        self,
        index: Index,
        history: History,
        *,
        query: str = "",
        category: str | None = None,
        channel: str | None = None,
        details: dict | None = None,
    ) -> None:
        from .channels import NAMES

        self.index = index
        self.history = history
        self.query = query
        self.categories: list[str | None] = [None, *index.category_names]
        self.channels: list[str | None] = [None, *NAMES]
        self.category = category
        self.channel = channel
        self.details = details or {}
        self.phrases: list[Phrase] = []
        self.selected = 0
        self.note = ""
        """A passing message for the status line (a phrase starred)."""
        self.filling: list[str] = []
        """The blanks of the phrase being taken, in order; empty while choosing."""
        self.values: dict[str, str] = {}
        """What was typed (or prefilled) for each blank of the phrase being taken."""
        self.asking = ""
        """The blank being asked for."""
        self._ranked_for: tuple | None = None

    # The list ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Rank again when the query or a filter changed since the last ranking (else nothing).
        A new query starts at its best phrase; a new filter keeps the selected phrase when it
        is still listed."""
        key = (self.query, self.category, self.channel)
        if key == self._ranked_for:
            return
        same_query = self._ranked_for is not None and self._ranked_for[0] == self.query
        kept = self.current.full_id if same_query and self.current is not None else None
        self._ranked_for = key
        self.phrases = self._rank() if self.query.strip() else self._from_history()
        ids = [phrase.full_id for phrase in self.phrases]
        self.selected = ids.index(kept) if kept in ids else 0

    def _rank(self) -> list[Phrase]:
        from .search import rank_phrases

        categories = (self.category,) if self.category else ()
        hits = rank_phrases(self.index, self.query, limit=LIMIT, categories=categories, channel=self.channel)
        return [hit.phrase for hit in hits]

    def _from_history(self) -> list[Phrase]:
        found = []
        for full_id in self.history.ranked(HISTORY_LIMIT):
            phrase = self.index.find(full_id)  # a phrase whose pack is gone is skipped
            if phrase is None or (self.category and phrase.category != self.category):
                continue
            if self.channel and not phrase.fits_channel(self.channel):
                continue
            found.append(phrase)
        return found[:LIMIT]

    @property
    def current(self) -> Phrase | None:
        return self.phrases[self.selected] if 0 <= self.selected < len(self.phrases) else None

    def move(self, step: int) -> None:
        if self.phrases:
            self.selected = (self.selected + step) % len(self.phrases)

    def cycle_category(self, step: int = 1) -> None:
        """All, then each category in the practice's order, then all again."""
        self.category = _next(self.categories, self.category, step)

    def cycle_channel(self) -> None:
        """No channel, then each channel, then none again."""
        self.channel = _next(self.channels, self.channel, 1)

    def star(self) -> None:
        phrase = self.current
        if phrase is not None:
            on = self.history.star(phrase.full_id)
            self.note = f"{'unstarred' if on is False else 'starred'} {phrase.full_id}"

    def rows(self) -> list[Row]:
        from .visible import visible

        return [
            Row(visible(self.filled(phrase.text)), visible(phrase.category), visible(phrase.pack),
                visible(",".join(phrase.channels) or "all"))
            for phrase in self.phrases
        ]  # fmt: skip

    def status(self) -> str:
        """What the list is: how many phrases, for what, and the filters in force."""
        from .visible import visible

        if self.query.strip():
            found = f"{len(self.phrases)} phrase{'s' if len(self.phrases) != 1 else ''}" if self.phrases else (
                "nothing matches well enough yet: keep typing, or other words")  # fmt: skip
        else:
            found = f"{len(self.phrases)} from your history" if self.phrases else (
                "type what is happening; the phrases you star and use show here")  # fmt: skip
        filters = f"category: {visible(self.category or 'all')}  channel: {self.channel or 'any'}"
        return f"{found}  |  {filters}" + (f"  |  {visible(self.note)}" if self.note else "")

    # Blanks and taking ------------------------------------------------------------------------

    def _values(self, text: str) -> dict[str, str]:
        from .blanks import names, values_from

        values = values_from(self.details, names(text))
        if self.filling:
            values.update(self.values)  # what the rep typed wins, an emptied blank too
        return values

    def filled(self, text: str, shown: Callable[[str], str] = lambda name: f"[{name}]") -> str:
        """``text`` with its blanks filled from the case details and what was typed for them,
        the others as ``shown(name)`` (``[when]``, as ``search`` shows them)."""
        from .blanks import fill

        if "{" not in text and "}" not in text:
            return text
        return fill(text, self._values(text), shown)

    def begin_take(self) -> str | None:
        """Start taking the selected phrase: the first of its blanks to ask for (each
        prefilled from the case details), or ``None`` when it has none."""
        from .blanks import defaults, values_from

        phrase = self.current
        if phrase is None or not phrase.blanks:
            return None
        self.filling = phrase.blanks
        self.values = {**defaults(phrase.text), **values_from(self.details, self.filling)}
        self.asking = self.filling[0]
        return self.asking

    def answer(self, value: str) -> str | None:
        """The value typed for the blank asked (``asking``); the next blank to ask, or ``None``
        when all are answered and the phrase can be taken."""
        self.values[self.asking] = value.strip()
        at = self.filling.index(self.asking) + 1
        self.asking = self.filling[at] if at < len(self.filling) else ""
        return self.asking or None

    def stop_filling(self) -> None:
        """Back to the list: what was typed for the blanks is forgotten."""
        self.filling, self.values, self.asking = [], {}, ""

    def taken_text(self) -> str:
        """The selected phrase's text as it is taken: its blanks filled, the empty ones as
        ``[when]`` (never read out by mistake), shown safe (``visible``)."""
        from .visible import visible

        phrase = self.current
        return visible(self.filled(phrase.text), block=True) if phrase is not None else ""

    def blank_lines(self) -> list[tuple[str, str, str]]:
        """For the preview: each blank of the selected phrase, what it is, and its value now."""
        from .blanks import STANDARD
        from .visible import visible

        phrase = self.current
        if phrase is None:
            return []
        values = self._values(phrase.text)
        lines = []
        for name in phrase.blanks:
            standard = STANDARD.get(name)
            what = standard.help if standard else "a blank of its pack"
            if standard and standard.details:
                what += f" (case: {', '.join(standard.details)})"
            lines.append((f"{{{visible(name)}}}", what, visible(values.get(name, ""))))
        return lines


def _next(items: Sequence, current, step: int):
    at = items.index(current) if current in items else 0
    return items[(at + step) % len(items)]


# Running it -------------------------------------------------------------------------------------


@recovering
def pick(
    situation: str = "",
    *,
    paths: Sequence[str] = (),
    category: str | None = None,
    channel: str | None = None,
    case_file: str | None = None,
    sets: Sequence[str] = (),
    print_only: bool = False,
    copy: Copy | None = None,
    history: History | None = None,
    warn: Callable[[str], None] | None = None,
) -> Picked:
    """Show the picker on the terminal for ``situation`` and return how it ended; a taken
    phrase is copied with ``copy`` (unless ``print_only`` or Ctrl-O) and recorded in
    ``history``. Unknown names (``category``) and a bad ``--case``/``--set`` are errors before
    the screen is drawn; an error while it is shown (a damaged index, a history that cannot be
    written) closes it and is raised here."""
    from .case import case_details
    from .catalogue import open_index
    from .errors import UnknownNameError

    index = open_index(paths, warn)
    if category is not None and category not in index.category_names:
        raise UnknownNameError(f"unknown category {category!r} (see 'phrasekit categories')", "--category")
    if channel is None:
        from .config import default_channel

        channel = default_channel()
    details = case_details(case_file, sets)
    history = history or default_history(warn)
    state = PickerState(index, history, query=situation, category=category, channel=channel, details=details)
    how = run_picker(state)
    if how in ("leave", "interrupt"):
        return Picked(how)
    phrase = state.current
    text = state.taken_text()
    if how == "print" or print_only:
        picked = Picked("print", phrase.full_id, text)
    else:
        picked = Picked("copy", phrase.full_id, text, (copy or default_copy())(text))
    history.record(phrase.full_id)  # once it went where it was sent
    return picked


HELP = "Up/Down move  Tab category  ^L channel  Enter take  ^O print  ^S star  Esc leave"
FILL_HELP = "type the value  Enter next blank  Esc back to the list  ^C leave"

STYLE = {
    "query": "bold",
    "status": "reverse",
    "selected": "reverse bold",
    "category": "ansicyan",
    "dim": "ansibrightblack",
    "blank": "reverse",
    "filled": "underline",
    "help": "ansibrightblack",
}

ESCAPE_WAIT = 0.05
"""Seconds to wait after Esc for the rest of a key's escape sequence: short, so Esc leaves at
once; an arrow key's bytes arrive together, well within it."""


def run_picker(state: PickerState, input=None, output=None) -> str:
    """Draw ``state`` full screen and run it until a phrase is taken or the rep leaves:
    "copy", "print", "leave" or "interrupt". ``input``/``output`` are prompt_toolkit's (for
    tests; the terminal by default)."""
    import gc

    collecting = gc.isenabled()
    if not collecting:  # ``cli.main`` turned it off for a short command; a session lasts minutes
        gc.freeze()  # what is loaded by now (the index, prompt_toolkit) stays out of its passes
        gc.enable()
    try:
        return _run(state, input, output)
    finally:
        if not collecting:
            gc.disable()


def _run(state: PickerState, input, output) -> str:
    from prompt_toolkit.application import Application
    from prompt_toolkit.buffer import Buffer
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, Window
    from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl
    from prompt_toolkit.layout.dimension import Dimension
    from prompt_toolkit.layout.processors import BeforeInput
    from prompt_toolkit.styles import Style

    choosing = Condition(lambda: not state.filling)
    filling = Condition(lambda: bool(state.filling))
    query = Buffer(multiline=False, document=_document(state.query), on_text_changed=lambda buf: _typed(state, buf))
    answer = Buffer(multiline=False, on_text_changed=lambda buf: _answered(state, buf))
    wanted = ["copy"]
    """How the phrase being taken goes: Enter copies, Ctrl-O prints (after its blanks alike)."""

    def ask(app, name: str | None) -> None:
        """Put the question for blank ``name`` on the query line, or take the phrase."""
        from .visible import visible

        if name is None:
            app.exit(result=wanted[0])
            return
        answer.document = _document(visible(state.values.get(name, "")))
        app.layout.focus(answer)

    keys = _GuardedBindings(KeyBindings())

    @keys.add("up", filter=choosing)
    @keys.add("c-p", filter=choosing)
    def _(event) -> None:
        state.move(-1)

    @keys.add("down", filter=choosing)
    @keys.add("c-n", filter=choosing)
    def _(event) -> None:
        state.move(1)

    @keys.add("tab", filter=choosing)
    def _(event) -> None:
        state.cycle_category(1)

    @keys.add("s-tab", filter=choosing)
    def _(event) -> None:
        state.cycle_category(-1)

    @keys.add("c-l", filter=choosing)
    def _(event) -> None:
        state.cycle_channel()

    @keys.add("c-s", filter=choosing)
    def _(event) -> None:
        state.star()

    @keys.add("enter", filter=choosing)
    @keys.add("c-o", filter=choosing)
    def _(event) -> None:
        if state.current is not None:
            wanted[0] = "print" if event.key_sequence[0].key == "c-o" else "copy"
            ask(event.app, state.begin_take())

    @keys.add("enter", filter=filling)
    def _(event) -> None:
        ask(event.app, state.answer(answer.text))

    @keys.add("escape", filter=filling, eager=True)
    def _(event) -> None:
        state.stop_filling()
        event.app.layout.focus(query)

    @keys.add("escape", filter=choosing, eager=True)
    def _(event) -> None:
        event.app.exit(result="leave")

    @keys.add("c-c")
    def _(event) -> None:
        event.app.exit(result="interrupt")

    def fill_prompt() -> list:
        from .visible import visible

        number = state.filling.index(state.asking) + 1 if state.asking in state.filling else 1
        return [("class:query", f"{{{visible(state.asking)}}} ({number} of {len(state.filling)}): ")]

    body = HSplit([
        ConditionalContainer(Window(BufferControl(query, input_processors=[BeforeInput("> ", "class:query")]),
                                    height=1), filter=choosing),
        ConditionalContainer(Window(BufferControl(answer, input_processors=[BeforeInput(fill_prompt)]), height=1),
                             filter=filling),
        Window(FormattedTextControl(lambda: [("class:status", state.status())]), height=1, style="class:status"),
        Window(FormattedTextControl(lambda: _list_fragments(state)), height=Dimension(min=3, weight=3),
               wrap_lines=False),
        Window(char="-", height=1, style="class:dim"),
        Window(FormattedTextControl(lambda: _preview_fragments(state)), height=Dimension(min=3, weight=2),
               wrap_lines=True),
        Window(FormattedTextControl(lambda: [("class:help", FILL_HELP if state.filling else HELP)]), height=1),
    ])  # fmt: skip
    app = Application(
        layout=Layout(body, focused_element=query),
        key_bindings=keys.bindings,
        style=Style.from_dict(STYLE),
        full_screen=True,
        before_render=_guarded(lambda app: state.refresh()),
        input=input,
        output=output,
    )
    app.ttimeoutlen = ESCAPE_WAIT
    return app.run()


def _guarded(handler: Callable) -> Callable:
    """``handler`` with any error it raises closing the picker and raised by ``app.run`` (so it
    reaches the command line's one error edge), rather than prompt_toolkit's own report that
    waits for Enter."""
    import functools

    @functools.wraps(handler)
    def run(arg) -> None:
        try:
            handler(arg)
        except Exception as error:
            from prompt_toolkit.application import get_app

            get_app().exit(exception=error)

    return run


class _GuardedBindings:
    """``KeyBindings.add`` with each handler ``_guarded``."""

    def __init__(self, bindings) -> None:
        self.bindings = bindings

    def add(self, *keys: str, **options):
        adding = self.bindings.add(*keys, **options)
        return lambda handler: adding(_guarded(handler))


def _document(text: str):
    from prompt_toolkit.document import Document

    return Document(text, len(text))


def _shown_only(buffer) -> bool:
    """Make what a line holds visible (``visible``) before it is drawn: a pasted control or
    bidi character would otherwise reach the terminal as it is. True when it was changed (the
    change calls the handler again)."""
    from .visible import visible

    text = buffer.text
    if text.isprintable() or text == visible(text):
        return False
    buffer.document = _document(visible(text))
    return True


def _typed(state: PickerState, buffer) -> None:
    if not _shown_only(buffer):
        state.query = buffer.text
        state.note = ""


def _answered(state: PickerState, buffer) -> None:
    if not _shown_only(buffer):
        state.values[state.asking] = buffer.text


def _width() -> int:
    from prompt_toolkit.application import get_app

    return get_app().output.get_size().columns


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells, an ellipsis marking the cut."""
    from prompt_toolkit.utils import get_cwidth

    if get_cwidth(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        cells = get_cwidth(char)
        if used + cells > width - 1:
            break
        out.append(char)
        used += cells
    return "".join(out) + "\u2026"


TEXT_CELLS = 40
"""The least a phrase's text keeps of a line: on a narrow terminal the channels, then the
pack, then the category give way first (the preview shows them all)."""

COLUMN_CELLS = {"category": 18, "pack": 16, "channels": 24}
"""The most each column beside the text takes: the longest practice category
("satisfaction-check") fits; a long pack name is cut."""


def _list_fragments(state: PickerState) -> list:
    """The list: the selected line marked and kept in view, each phrase's text cut to its
    column, then its category, pack and channels as the width allows."""
    from prompt_toolkit.utils import get_cwidth

    rows = state.rows()
    if not rows:
        return []
    width = _width()
    columns = []
    for name in COLUMN_CELLS:
        cells = min(max(get_cwidth(getattr(row, name)) for row in rows), COLUMN_CELLS[name])
        columns.append((name, cells))
    while columns and width - 2 - sum(cells + 2 for _, cells in columns) < TEXT_CELLS:
        columns.pop()
    text_cells = max(width - 2 - sum(cells + 2 for _, cells in columns), 1)
    fragments = []
    for number, row in enumerate(rows):
        chosen = number == state.selected
        if chosen:
            fragments.append(("[SetCursorPosition]", ""))  # the window scrolls to keep it in view
        style = "class:selected" if chosen else ""
        fragments.append((style, ("> " if chosen else "  ") + _pad(row.text, text_cells)))
        for name, cells in columns:
            shade = " class:category" if name == "category" else " class:dim"
            fragments.append((style + shade, "  " + _pad(getattr(row, name), cells)))
        fragments.append(("", "\n"))
    return fragments


def _pad(text: str, cells: int) -> str:
    """``text`` cut or padded to exactly ``cells`` terminal cells."""
    from prompt_toolkit.utils import get_cwidth

    text = _clip(text, cells)
    return text + " " * (cells - get_cwidth(text))


def _preview_fragments(state: PickerState) -> list:
    """The selected phrase in full, each blank marked (filled or not), then what each blank is."""
    from .blanks import parse
    from .visible import visible

    phrase = state.current
    if phrase is None:
        return []
    values = state._values(phrase.text)
    fragments: list = []
    for part in parse(phrase.text):
        if isinstance(part, str):
            fragments.append(("", visible(part, block=True)))
            continue
        name = part[0]
        value = values.get(name)
        style = "class:filled" if value else "class:blank"
        if name == state.asking:
            style += " bold"
        fragments.append((style, visible(value) if value else f"[{visible(name)}]"))
    fragments = _wrapped(fragments, _width())
    fragments.append(("", "\n"))
    for name, what, value in state.blank_lines():
        fragments.append(("class:category", f"\n{name}"))
        fragments.append(("class:dim", f"  {what}: "))
        fragments.append(("class:filled" if value else "class:blank", value or "to fill"))
    fragments.append(("class:dim", f"\n\n{visible(phrase.full_id)}  {visible(phrase.category)}  "
                                   f"{','.join(phrase.channels) or 'all channels'}"))  # fmt: skip
    return fragments


def _wrapped(fragments: list, width: int) -> list:
    """``fragments`` with line breaks between words so no line is wider than ``width`` cells
    (a word longer than a line is left to the window to break)."""
    import re

    from prompt_toolkit.utils import get_cwidth

    out, column = [], 0
    for style, text in fragments:
        for piece in re.split(r"( +|\n)", text):
            if not piece:
                continue
            if piece == "\n":
                out.append((style, piece))
                column = 0
                continue
            cells = get_cwidth(piece)
            if piece.startswith(" "):
                if column + cells >= width:
                    out.append((style, "\n"))
                    column = 0
                    continue
            elif column and column + cells > width:
                if out and out[-1][1].startswith(" "):
                    out.pop()  # the space before the word would end the line
                out.append((style, "\n"))
                column = 0
            out.append((style, piece))
            column += cells
    return out


class _RepHistory:
    """The rep's own history (``history``), as the picker asks it: full ids best first, a use
    recorded, a star toggled. Off (``history: false``) it lists and records nothing."""

    def __init__(self, warn: Callable[[str], None] | None = None) -> None:
        self.warn = warn

    def ranked(self, limit: int) -> list[str]:
        from . import history

        return [entry.full_id for entry in history.ranked(limit, warn=self.warn)]

    def record(self, full_id: str) -> None:
        from . import history

        history.record(full_id, warn=self.warn)

    def star(self, full_id: str) -> bool:
        """Star the phrase, or take its star away when it has one; whether it is starred now."""
        from . import history

        starred = any(entry.full_id == full_id and entry.starred for entry in history.entries(warn=self.warn))
        history.star(full_id, on=not starred, warn=self.warn)
        return not starred


def default_history(warn: Callable[[str], None] | None = None) -> History:
    return _RepHistory(warn)


def default_copy() -> Copy:
    """``clipboard.copy``, saying where the text went as the picker's message words it."""
    from .clipboard import copy, destination

    def to_clipboard(text: str) -> str:
        return destination(copy(text))

    return to_clipboard
