"""Markdown to sanitised HTML, and Markdown to plain text.

Contributor Markdown is GitHub Flavored Markdown (CommonMark with tables, strikethrough
and autolinks), rendered by ``cmarkgfm``, the Python binding of GitHub's reference
implementation ``cmark-gfm``. It is the dialect GitLab's editor preview shows (GitLab
Flavored Markdown extends it), so a merge request looks in the preview as it will on the
site, and the C parser is much faster than a pure-Python one. Every text is converted
once per process and shared by the page, the feeds, the calendars and the search index,
so all outputs show the same content.

The HTML is then cleaned by ``nh3`` (the ammonia sanitiser) with an allowlist that keeps
what Markdown itself produces and nothing else: raw ``<script>``, event handlers,
``javascript:`` links and the like are removed. Prose without raw HTML, links, images and
code blocks, which the sanitiser could only reserialise, gets that serialisation without
it (:func:`_as_sanitised`). :func:`plain_text` derives the text for calendars and JSON-LD
from the same sanitised HTML, in one pass over its tags (:func:`html_to_text`).
"""

from __future__ import annotations

import functools
import html as html_lib
import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

from ..core.characters import FORBIDDEN
from ..core.urls import slugify

_CONTROL_CHARS = re.compile(f"[{FORBIDDEN}]")

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "dl",
        "dt",
        "em",
        "hr",
        "i",
        "img",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
        *_HEADINGS,
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
    **{h: {"id"} for h in _HEADINGS},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_CODE_CLASS = re.compile(r"^language-[A-Za-z0-9_+#.-]{1,40}$")
#: Converted texts kept between calls: a site's worth of texts, bounded for long
#: ``mkdocs serve`` sessions.
RENDER_CACHE_SIZE = 20_000


def strip_control_chars(text: str) -> str:
    """``text`` without characters that are illegal in XML (and pointless in HTML/ICS)."""
    return _CONTROL_CHARS.sub("", text)


#: cmark-gfm: raw HTML passes the parser (``nh3`` decides what stays, as for any HTML),
#: invalid UTF-8 is replaced. No "smart" punctuation: it would turn German quotes English.
_CMARK_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_VALIDATE_UTF8
#: GitHub's extensions, each with the characters its syntax cannot do without. An extension
#: is attached only to texts that contain one of them (most texts need none, and each one
#: adds to every conversion); a test checks that the output is the same.
_CMARK_EXTENSIONS = (
    ("table", ("|",)),
    ("strikethrough", ("~",)),
    # cmark-gfm links "http://", "https://" and "ftp://" (any case), "www." and e-mail
    # addresses (also after "mailto:"/"xmpp:"); a colon alone, common in German prose, not.
    ("autolink", ("://", "www.", "@")),
)
#: Each mark with the extension it calls for.
_EXTENSION_MARKS = tuple((mark, name) for name, marks in _CMARK_EXTENSIONS for mark in marks)
#: Character references to U+FFFE and U+FFFF, which cmark-gfm writes as invalid UTF-8 (a
#: single byte) that cmarkgfm cannot decode; they become U+FFFD, as references to other
#: code points that are not characters do. (In a code span, where a reference is shown as
#: typed, it then shows ``&#xFFFD;``.)
_NONCHARACTER_REFERENCE = re.compile(r"&#(?:[xX]0*[fF]{3}[eEfF]|0*6553[45]);")
_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _heading_ids(html: str) -> str:
    """Give every heading an ``id`` from its text (unique within the text), replacing any
    attributes a raw HTML heading brought along."""
    if "<h" not in html:
        return html
    seen: dict[str, int] = {}

    def replace(match: re.Match[str]) -> str:
        level, inner = match.group(1), match.group(2)
        text = _TAG.sub("", inner) if "<" in inner else inner
        slug = slugify(html_lib.unescape(text) if "&" in text else text) or "abschnitt"
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchor = f"{slug}-{count}" if count else slug
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    return _HEADING.sub(replace, html)


def markdown_to_html(text: str) -> str:
    """GitHub Flavored Markdown as (unsanitised) HTML with heading anchors."""
    text = strip_control_chars(text)
    references = "&#" in text
    if references:
        text = _NONCHARACTER_REFERENCE.sub("&#xFFFD;", text)
    extensions = [name for mark, name in _EXTENSION_MARKS if mark in text]
    if extensions:
        html = cmarkgfm.markdown_to_html_with_extensions(
            text, options=_CMARK_OPTIONS, extensions=list(dict.fromkeys(extensions))
        )
    else:  # one call into the C library instead of six
        html = cmarkgfm.markdown_to_html(text, options=_CMARK_OPTIONS)
    if references:
        # A numeric character reference may name a control character (``&#1;``), which
        # cmark-gfm writes out as it is.
        html = strip_control_chars(html)
    return _heading_ids(html)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "code" and attribute == "class":
        return value if _CODE_CLASS.match(value) else None
    if tag == "img" and attribute == "src" and _is_foreign(value):
        # Loading it would send the reader's address to another server (privacy).
        return None
    return value


def _is_foreign(url: str) -> bool:
    """True for a URL on another host (absolute or protocol-relative)."""
    url = url.strip()
    return url.startswith("//") or bool(_SCHEME.match(url))


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: An ``<img>`` whose ``src`` was dropped: removed, as it would be invalid and useless.
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _cleaner(base_url: str | None) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_keep_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
        url_relative=("rewrite_with_base", base_url) if base_url else None,
    )


#: The sanitiser for the site's own pages, built once (configuring one costs more than
#: cleaning a typical text).
_CLEANER = _cleaner(None)
#: The start of an absolute (or protocol-relative) URL.
_ABSOLUTE_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")


def _has_relative_url(html: str) -> bool:
    """Whether the sanitiser's output has a relative ``href``/``src`` (``#anchor`` too)."""
    for marker in ('href="', 'src="'):
        start = html.find(marker)
        while start != -1:
            if not _ABSOLUTE_URL.match(html, start + len(marker)):
                return True
            start = html.find(marker, start + 1)
    return False


def sanitize_html(html: str, base_url: str | None = None) -> str:
    """Clean HTML with the portal's allowlist; relative URLs resolve against ``base_url``.

    Links get ``rel="noopener noreferrer"``. Without ``base_url`` relative URLs stay
    relative (right for the site's own pages); feeds pass the item's absolute URL.
    """
    cleaner = _CLEANER if not base_url else _cleaner(base_url)
    return _sanitised(strip_control_chars(html), cleaner)  # (nh3 refuses lone surrogates)


def _as_sanitised(html: str) -> str | None:
    """cmark-gfm's HTML of a text without raw HTML as the sanitiser would return it, or
    ``None`` when the sanitiser may have work to do.

    Without ``<`` in the Markdown, cmark-gfm writes only its own elements, every one of
    them on the allowlist; unless one is a link, an image or a code block, sanitising
    changes nothing but the serialisation, which html5ever (the sanitiser's parser)
    writes in its own way: ``"`` unescaped in text, U+00A0 as ``&nbsp;``, void elements
    without a slash. The sanitiser is a large part of a text's conversion, and most texts
    are prose; a property test requires the very same output as the sanitiser's.
    """
    # What the sanitiser can change: links and images (URL schemes, ``rel``, foreign image
    # sources) and code blocks (the language class).
    if "<a " in html or "<img" in html or "<pre" in html:
        return None
    if "&quot;" in html:
        html = html.replace("&quot;", '"')
    if "\xa0" in html:
        html = html.replace("\xa0", "&nbsp;")
    if " />" in html:
        html = html.replace(" />", ">")
    return html


@functools.lru_cache(maxsize=RENDER_CACHE_SIZE)
def _rendered(text: str) -> str:
    # markdown_to_html already removed control characters.
    html = markdown_to_html(text)
    if "<" not in text:
        sanitised = _as_sanitised(html)
        if sanitised is not None:
            return sanitised
    return _sanitised(html)


def _sanitised(html: str, cleaner: nh3.Cleaner = _CLEANER) -> str:
    # The sanitiser decodes character references, in raw HTML's attributes also those of
    # control characters (``href="…&#1;"``): they are removed from its output.
    return _IMG_WITHOUT_SRC.sub("", strip_control_chars(cleaner.clean(html)))


def render_markdown(text: str, base_url: str | None = None) -> str:
    """Markdown as sanitised HTML (see :func:`sanitize_html` for ``base_url``).

    Each text is converted and sanitised once (memoised); only HTML that actually holds
    a relative URL is cleaned again to resolve it against ``base_url``.
    """
    html = _rendered(text)
    if base_url and _has_relative_url(html):
        return sanitize_html(html, base_url)
    return html


def clear_render_cache() -> None:
    """Forget every converted text (for cold-start measurements)."""
    _rendered.cache_clear()


#: Elements that start and end a block of text.
_BLOCKS = frozenset(
    {"p", "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "table", "tr", "hr", "li", *_HEADINGS}
)
#: Elements that group their blocks (list items, table rows) with single line breaks.
_GROUPS = frozenset({"ul", "ol", "table"})
_LISTS = frozenset({"ul", "ol"})
#: A start or end tag of an element that shapes the text; other tags are dropped. In the
#: sanitiser's output (html5ever's serialisation) every ``<`` of text is escaped and
#: attribute values are quoted, so a tag ends at the first ``>`` outside quotes.
_ATTRIBUTES = r"""((?:[^>"']|"[^"]*"|'[^']*')*)"""
_SHAPING = "(?:" + "|".join(sorted(_BLOCKS | {"br", "td", "th", "img", "a"})) + ")"
_SHAPING_TAG = re.compile(rf"<(/?)({_SHAPING})(?![\w-]){_ATTRIBUTES}>", re.IGNORECASE)
_OTHER_TAG = re.compile(
    rf"</?(?!{_SHAPING}(?![\w-]))[A-Za-z][\w-]*{_ATTRIBUTES}>|<!--.*?-->",
    re.DOTALL | re.IGNORECASE,
)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def _attribute(attributes: str, name: str) -> str | None:
    """The value of attribute ``name`` in a tag's attribute text (None when absent)."""
    for match in _ATTRIBUTE.finditer(attributes):
        if match[1].lower() == name:
            value = next((v for v in match.groups()[1:] if v is not None), "")
            return html_lib.unescape(value) if "&" in value else value
    return None


def _bare(url: str) -> str:
    return url.removeprefix("mailto:")


def html_to_text(html: str) -> str:
    """Readable plain text of sanitised HTML: blocks separated by blank lines, the items
    of one list (or rows of one table) by single line breaks, list bullets, and link
    targets in parentheses after their text.

    The HTML is split at the tags that shape the text by one regular expression and
    read in a single pass; an HTML parser calling back into Python for every tag and
    text would cost more than the rest of a calendar entry. A test compares the result with
    an extractor on libxml2's HTML parser.
    """
    if not html.strip():
        return ""
    if "<" in html:
        html = _OTHER_TAG.sub("", html)
    # [text, "/" or "", tag, attributes, text, "/" or "", tag, attributes, text, ...]
    tokens = _SHAPING_TAG.split(html)
    out: list[str] = []
    line: list[str] = []
    bullet = ""
    group = groups = previous = nesting = pre = 0  # group > 0: inside a list or table
    lists: list[list[int]] = []  # per open list: [is ordered, next number]
    links: list[tuple[str | None, int]] = []  # per open link: (href, start in the line)

    def flush() -> None:
        nonlocal bullet, previous
        text = "".join(line)
        text = text.strip("\n") if pre else " ".join(text.split())
        line.clear()
        if text:
            if out:
                out.append("\n" if group and group == previous else "\n\n")
            out.append(bullet + text)
            bullet, previous = "", group

    def close_link() -> None:
        href, start = links.pop()
        label = "".join(line)[start:].strip()
        if href and not href.startswith("#") and _bare(href) != _bare(label):
            line.append(f" ({href})")

    for index in range(0, len(tokens), 4):
        if index and tokens[index - 3]:  # an end tag
            tag = tokens[index - 2].lower()
            if tag == "a" and links:
                close_link()
            if tag in _BLOCKS:
                flush()
            if tag in _GROUPS and nesting:
                nesting -= 1
                if not nesting:
                    group = 0
            if tag == "pre":
                pre = max(pre - 1, 0)
            elif tag in _LISTS and lists:
                lists.pop()
        elif index:  # a start tag
            tag, attributes = tokens[index - 2].lower(), tokens[index - 1]
            if tag in _BLOCKS:
                flush()
            if tag in _GROUPS:
                if not nesting:
                    groups += 1
                    group = groups
                nesting += 1
            if tag == "pre":
                pre += 1
            elif tag in _LISTS:
                start = _attribute(attributes, "start") or "1"
                lists.append([tag == "ol", int(start) if start.isdigit() else 1])
            elif tag == "li":
                mark = "-"
                if lists and lists[-1][0]:
                    mark = f"{lists[-1][1]}."
                    lists[-1][1] += 1
                bullet = "  " * max(len(lists) - 1, 0) + mark + " "
            elif tag == "br":
                line.append("\n" if pre else " ")
            elif tag in ("td", "th") and "".join(line).strip():
                line.append(" | ")
            elif tag == "img":
                line.append(_attribute(attributes, "alt") or "")
            elif tag == "a":
                links.append((_attribute(attributes, "href"), len("".join(line))))
        text = tokens[index]
        if text:
            line.append(html_lib.unescape(text) if "&" in text else text)
    while links:  # unclosed at the end of a broken fragment
        close_link()
    flush()
    return "".join(out)


def plain_text(text: str, base_url: str | None = None) -> str:
    """Markdown as plain text (for ICS descriptions and JSON); links become ``label (url)``.

    The text goes through the same sanitiser as the HTML, so a ``javascript:`` link loses
    its target here too.
    """
    return html_to_text(render_markdown(text, base_url))


def one_line(text: str) -> str:
    """``text`` with control characters removed and all whitespace collapsed."""
    return " ".join(strip_control_chars(text).split())
