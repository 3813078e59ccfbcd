"""The plain-text extraction of ``oss_portal.outputs.markdown.html_to_text``, done the slow
and independent way: libxml2's HTML parser (through lxml) drives an extractor with the
same rules, one callback per tag and text. It was the portal's own implementation until
a single-pass tokenizer replaced it; the tests require both to agree."""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree


class _Extractor:
    """The target of libxml2's HTML parser: called for every start tag, end tag and text."""

    _BLOCKS = frozenset(
        {
            "p",
            "blockquote",
            "pre",
            "ul",
            "ol",
            "dl",
            "dt",
            "dd",
            "table",
            "tr",
            "hr",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
        }
    )

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        #: (text, group): consecutive blocks of one list or table share a group > 0.
        self.blocks: list[tuple[str, int]] = []
        self._group = 0
        self._groups = 0
        self._nesting = 0
        self._line: list[str] = []
        self._bullet = ""
        self._pre = 0
        self._lists: list[list[int]] = []  # per open list: [is ordered, next number]
        self._links: list[tuple[str | None, int]] = []

    def _flush(self) -> None:
        text = "".join(self._line)
        text = text.strip("\n") if self._pre else " ".join(text.split())
        if text:
            self.blocks.append((self._bullet + text, self._group))
            self._bullet = ""
        self._line = []

    def start(self, tag: str, values: Mapping[str, str]) -> None:
        if tag in self._BLOCKS:
            self._flush()
        if tag in ("ul", "ol", "table"):
            if not self._nesting:
                self._groups += 1
                self._group = self._groups
            self._nesting += 1
        if tag == "pre":
            self._pre += 1
        elif tag in ("ul", "ol"):
            start = values.get("start") or "1"
            self._lists.append([tag == "ol", int(start) if start.isdigit() else 1])
        elif tag == "li":
            bullet = "-"
            if self._lists and self._lists[-1][0]:
                bullet = f"{self._lists[-1][1]}."
                self._lists[-1][1] += 1
            self._bullet = "  " * max(len(self._lists) - 1, 0) + bullet + " "
        elif tag == "br":
            self._line.append("\n" if self._pre else " ")
        elif tag in ("td", "th") and "".join(self._line).strip():
            self._line.append(" | ")
        elif tag == "img":
            self._line.append(values.get("alt") or "")
        elif tag == "a":
            self._links.append((values.get("href"), len("".join(self._line))))

    def end(self, tag: str) -> None:
        if tag == "a" and self._links:
            href, start = self._links.pop()
            label = "".join(self._line)[start:].strip()
            if href and not href.startswith("#") and _bare(href) != _bare(label):
                self._line.append(f" ({href})")
        if tag in self._BLOCKS:
            self._flush()
        if tag in ("ul", "ol", "table") and self._nesting:
            self._nesting -= 1
            if not self._nesting:
                self._group = 0
        if tag == "pre":
            self._pre = max(self._pre - 1, 0)
        elif tag in ("ul", "ol") and self._lists:
            self._lists.pop()

    def data(self, data: str) -> None:
        self._line.append(data)

    def close(self) -> list[tuple[str, int]]:
        self._flush()
        blocks = self.blocks
        self.reset()
        return blocks


def _bare(url: str) -> str:
    return url.removeprefix("mailto:")


def reference_text(html: str) -> str:
    """Plain text of an HTML fragment by the rules of ``html_to_text``."""
    if not html.strip():
        return ""
    blocks: list[tuple[str, int]] = etree.fromstring(
        html, etree.HTMLParser(target=_Extractor(), no_network=True)
    )
    parts: list[str] = []
    previous = 0
    for text, group in blocks:
        if parts:
            parts.append("\n" if group and group == previous else "\n\n")
        parts.append(text)
        previous = group
    return "".join(parts)
