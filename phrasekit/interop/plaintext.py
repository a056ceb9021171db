"""HTML replies as the plain text a phrase holds: entities decoded, a link's words kept (its
address reported, since a phrase is words to say), paragraphs and line breaks kept as lines."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "pre",
    }
)
_SKIPPED = frozenset({"script", "style", "head", "title"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag in _BLOCKS:
            self.out.append("\n\n" if tag in ("p", "blockquote", "table") else "\n")
            if tag == "li":
                self.out.append("- ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if href and not href.startswith("#"):
                self.links.append(href)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS and tag != "li":
            self.out.append("\n\n" if tag in ("p", "blockquote", "table") else "\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str) -> tuple[str, list[str]]:
    """The words of ``html`` as plain text, and the addresses its links pointed to."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out).replace("\xa0", " ")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, parser.links


def looks_like_html(text: str) -> bool:
    """Whether a text cell holds HTML markup (Zammad keeps text modules as ``<div>`` lines)."""
    return bool(re.search(r"</?(?:p|div|br|span|a|b|strong|i|em|ul|ol|li|h[1-6])\b[^>]*>", text, re.I))
