"""espanso match files: ``matches:`` with a ``trigger`` (or several ``triggers``) and the text
that replaces it, read into canned replies; a pack written back as one, each blank an espanso
form field so the rep fills it as the text expands, in any application.

Nothing in a match file is ever run: a ``shell`` or ``script`` variable becomes a blank to fill
(and is reported); an ``echo`` variable's fixed text is used as it is.
"""

from __future__ import annotations

import re

from ..errors import Location
from .source import Canned, ImportError_, Skipped, slug, type_name

WHAT = "an espanso match file"
PREFIX = ":pk-"
"""The start of the triggers an export gives phrases that did not come from espanso: the colon
is espanso's own convention, ``pk-`` keeps them apart from a rep's other snippets."""
_VARIABLE_RE = re.compile(r"\{\{\s*([A-Za-z_][\w]*)(?:\.([A-Za-z_][\w]*))?\s*\}\}")
_CURSOR = "__cursor__"
_FIELD_RE = re.compile(r"\[\[\s*([A-Za-z_][\w]*)\s*\]\]")


def _fail(doc, path: tuple, message: str, hint: str | None = None) -> ImportError_:
    return ImportError_(message, doc.location(path), hint=hint)


def _string(doc, match: dict, key: str, where: tuple) -> str | None:
    value = match.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(doc, where + (key,), f"{key!r} must be text, not {type_name(value)}")
    return value


def _variables(doc, entries, where: tuple) -> dict[str, dict]:
    if entries is None:
        return {}
    if not isinstance(entries, list):
        raise _fail(doc, where, f"'vars' must be a list, not {type_name(entries)}")
    found = {}
    for at, var in enumerate(entries):
        if not isinstance(var, dict) or not isinstance(var.get("name"), str):
            raise _fail(doc, where + (at,), "each variable must be a mapping with a 'name' and a 'type'")
        found[var["name"]] = var
    return found


def read(
    text: str, display: str, include_inactive: bool = False, prefix: str = PREFIX
) -> tuple[list[Canned], list[Skipped], list[str]]:
    """The matches of an espanso file. ``prefix`` is taken off a trigger to make the phrase id
    (what an export put there)."""
    from ..blanks import STANDARD
    from ..errors import YamlFileError
    from ..yamlfile import parse_yaml
    from .placeholders import blank_for_name, own_blank_name

    try:
        doc = parse_yaml(text, display, aliases=True)
    except YamlFileError as exc:
        raise ImportError_(exc.message, exc.location, findings=exc.findings, hint=exc.hint) from None
    refused = [finding for finding in doc.findings if not finding.soft]
    if refused:  # a tag that would build an object, an alias, a key written twice: read as nothing, so refused
        first = refused[0]
        raise ImportError_(
            first.message,
            first.location,
            findings=refused[1:],
            hint="An espanso file is plain YAML: text, lists and mappings.",
        )
    if not isinstance(doc.data, dict) or "matches" not in doc.data:
        raise ImportError_(
            f"no 'matches:' here, so it is not {WHAT}",
            Location(display, 1, 1),
            hint="An espanso file holds matches: and a list of - trigger: ... replace: ...",
        )
    matches = doc.data["matches"]
    if not isinstance(matches, list):
        raise _fail(doc, ("matches",), f"'matches' must be a list, not {type_name(matches)}")
    shared = _variables(doc, doc.data.get("global_vars"), ("global_vars",))
    found, skipped = [], []
    file_notes = []
    if doc.data.get("imports"):
        file_notes.append(
            f"{display} imports other match files (imports:), which are not read: import each of them too"
        )
    for number, match in enumerate(matches):
        where = ("matches", number)
        if not isinstance(match, dict):
            raise _fail(doc, where, f"each match must be a mapping, not {type_name(match)}")
        line = doc.location(where).line
        triggers = match.get("triggers")
        if triggers is None:
            trigger = _string(doc, match, "trigger", where)
            triggers = [trigger] if trigger is not None else []
        elif not isinstance(triggers, list) or not all(isinstance(t, str) for t in triggers):
            raise _fail(doc, where + ("triggers",), "'triggers' must be a list of text")
        label = _string(doc, match, "label", where)
        regex = match.get("regex")
        if not triggers and isinstance(regex, str) and regex:
            triggers = [f"regex:{regex}"]  # a phrase needs no trigger; an export writes the regex back
        if not triggers:
            raise _fail(
                doc,
                where,
                "a match with neither 'trigger' nor 'triggers'",
                hint='Give it trigger: ":word" (or triggers: [...]).',
            )
        variables = {**shared, **_variables(doc, match.get("vars"), where + ("vars",))}
        form = _string(doc, match, "form", where)
        body = None
        for key in ("replace", "markdown", "html"):
            body = _string(doc, match, key, where)
            if body is not None:
                if key == "html":
                    from .plaintext import html_to_text

                    body = html_to_text(body)[0]
                break
        if body is None and form is not None:  # form: shorthand, its fields [[name]]
            body = _FIELD_RE.sub(lambda m: "{{form1." + m.group(1) + "}}", form)
            variables["form1"] = {"name": "form1", "type": "form", "params": {"fields": match.get("form_fields") or {}}}
        if body is None:
            what = "an image" if match.get("image_path") is not None else "no text"
            skipped.append(Skipped(label or triggers[0], line, f"it expands to {what}, not words"))
            continue
        notes: list[str] = []
        body = body.replace("$|$", "{{" + _CURSOR + "}}")  # where the cursor lands: the rep types there

        def resolve(expression: str, variables=variables, notes=notes) -> tuple[str, str | None, str | None] | None:
            name, _, part = expression.partition(".")
            if expression == _CURSOR:
                return (
                    "cursor_text",
                    None,
                    "espanso's cursor mark $|$: now the blank {cursor_text}, where the rep types",
                )
            var = variables.get(name)
            if var is None:
                return None
            kind = var.get("type")
            params = var.get("params") if isinstance(var.get("params"), dict) else {}
            if kind == "form" and part:
                fields = params.get("fields") if isinstance(params.get("fields"), dict) else {}
                spec = fields.get(part) if isinstance(fields.get(part), dict) else {}
                default = spec.get("default")
                blank = blank_for_name(part) or own_blank_name(part)
                default = str(default) if isinstance(default, (str, int, float)) and str(default) else None
                note = None if blank in STANDARD else f"the form field {{{{{expression}}}}}: now the blank {{{blank}}}"
                return blank, default, note
            if kind in ("shell", "script"):
                blank = own_blank_name(name)
                return (
                    blank,
                    None,
                    f"the {kind} variable {{{{{name}}}}} is never run by phrasekit: now the blank {{{blank}}}",
                )
            if kind == "date":
                return (
                    "date",
                    None,
                    f"espanso's date variable {{{{{name}}}}}: now the blank {{date}}, for the date meant",
                )
            blank = blank_for_name(name) or own_blank_name(name)
            if blank in STANDARD:
                return blank, None, None
            return blank, None, f"the {kind or 'unknown'} variable {{{{{name}}}}}: now the blank {{{blank}}}; check it"

        # An echo variable is fixed text: put it in before the placeholders are read.
        for name, var in variables.items():
            params = var.get("params") if isinstance(var.get("params"), dict) else {}
            if var.get("type") == "echo" and isinstance(params.get("echo"), str):
                body = re.sub(r"\{\{\s*" + re.escape(name) + r"\s*\}\}", params["echo"].replace("\\", "\\\\"), body)
        first = triggers[0]
        if first.startswith("regex:"):
            notes.append(f"its trigger is a regex ({first[6:]}); reps find it by its words here")
        bare = first[len(prefix) :] if prefix and first.startswith(prefix) else first
        extra: dict = {}
        if len(triggers) > 1 and not any(" " in trigger or not trigger for trigger in triggers):
            extra["source"] = "espanso:" + " ".join(triggers)  # every trigger, so an export keeps them all
        made = slug(bare)
        if made and bare != first:
            extra["id"] = made
        terms = match.get("search_terms") if isinstance(match.get("search_terms"), list) else []
        from .guess import normal_category

        category = next((term for term in terms if isinstance(term, str) and normal_category(term) == term), None)
        tags = [term.lower() for term in terms if isinstance(term, str) and term != category]
        words = " ".join(part for part in re.split(r"[\W_]+", (label or bare).lower()) if part)
        found.append(
            Canned(
                key=first,
                title=label or first,
                text=body.strip(),
                line=line,
                category=category,
                tags=tags,
                situations=[words.lower()] if words else [],
                notes=notes,
                resolve=resolve,
                extra=extra,
            )
        )
    return found, skipped, file_notes


def write(items: list[dict], pack: str, prefix: str = PREFIX) -> str:
    """A pack's phrases as an espanso match file: one trigger per phrase (``:pk-<id>``, or the
    trigger it came from), every blank a field of the match's form."""
    from ..blanks import parse
    from .yamlout import quoted

    lines = [
        f"# espanso matches from the phrasekit pack {pack}. Put this file in espanso's match folder",
        "# (espanso path), then type a trigger anywhere; each blank is a field of a small form.",
        "matches:",
    ]
    for item in items:
        source = item.get("source") or ""
        trigger = source[len("espanso:") :] if source.startswith("espanso:") else f"{prefix}{item['id']}"
        key = "trigger"
        if trigger.startswith("regex:"):
            key, trigger = "regex", trigger[len("regex:") :]
        elif source.startswith("espanso:") and " " in trigger:
            key = "triggers"
        parts = parse(item["text"])
        fields: dict[str, str | None] = {}
        replace, layout = [], []
        for part in parts:
            if isinstance(part, str):
                replace.append(part)
                layout.append(part)
            else:
                name = part[0]
                fields.setdefault(name, part[1] if len(part) == 2 else None)
                replace.append(f"{{{{form1.{name}}}}}")
                layout.append(f"[[{name}]]")
        written = f"[{', '.join(quoted(t) for t in trigger.split(' '))}]" if key == "triggers" else quoted(trigger)
        lines.append(f"  - {key}: {written}")
        lines.append(f"    label: {quoted(item.get('title') or item['id'].replace('-', ' '))}")
        terms = list(dict.fromkeys([item["category"], *(item.get("tags") or ())]))
        lines.append(f"    search_terms: [{', '.join(quoted(term) for term in terms)}]")
        lines.append(f"    replace: {quoted(''.join(replace))}")
        if fields:
            lines += [
                "    vars:",
                "      - name: form1",
                "        type: form",
                "        params:",
                f"          layout: {quoted(''.join(layout))}",
            ]
            with_default = {name: default for name, default in fields.items() if default is not None}
            if with_default:
                lines.append("          fields:")
                for name, default in with_default.items():
                    lines.append(f"            {name}: {{default: {quoted(default)}}}")
    return "\n".join(lines) + "\n"
