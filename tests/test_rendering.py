"""Markdown rendering and sanitising (oss_portal.outputs.markdown), checked with lxml's parser."""

from __future__ import annotations

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oss_portal.outputs.markdown import (
    html_to_text,
    one_line,
    plain_text,
    render_markdown,
    sanitize_html,
    strip_control_chars,
)


def _fragment(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


@pytest.mark.parametrize(
    ("markdown", "xpath"),
    [
        (
            '[Text](https://example.org "Titel")',
            "//a[@href='https://example.org'][@title='Titel'][@rel='noopener noreferrer']",
        ),
        ("<mailto:info@example.org>", "//a[@href='mailto:info@example.org']"),
        ("- eins\n- zwei", "//ul[count(li)=2]"),
        ("3. drei\n4. vier", "//ol[@start='3']/li"),
        ("*kursiv* und **fett**", "//p[em and strong]"),
        ("| a | b |\n|:--|--:|\n| 1 | 2 |", "//table/tbody/tr/td[@align='right']"),
        ("## Größe & Maß", "//h2[@id='groesse-mass']"),
        ("## *Größe* & `Maß`", "//h2[@id='groesse-mass']"),
        ("```python\nprint(1)\n```", "//pre/code[@class='language-python']"),
        ("> Zitat", "//blockquote/p"),
        ("oben\n\n---\n\nunten", "//hr"),
        ('![Alt](bild.png "Bildtitel")', "//img[@src='bild.png'][@alt='Alt'][@title='Bildtitel']"),
        ("`code`", "//p/code"),
    ],
)
def test_markdown_output_is_kept(markdown: str, xpath: str) -> None:
    tree = _fragment(render_markdown(markdown))
    assert tree.xpath(xpath), render_markdown(markdown)


@pytest.mark.parametrize(
    "markdown",
    [
        "[klick](javascript:alert(1))",
        '<a href="JaVaScRiPt:alert(1)">klick</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">klick</a>',
        "<script>alert(1)</script>",
        '<img src="x.png" onerror="alert(1)">',
        '<iframe src="https://evil.example/"></iframe>',
        '<p style="position:fixed" onclick="alert(1)">x</p>',
        "<style>body{display:none}</style>",
        "<svg><script>alert(1)</script></svg>",
        '```evil" onmouseover="alert(1)\nx\n```',
        '<form action="https://evil.example"><input name="a"></form>',
    ],
)
def test_hostile_markup_is_removed(markdown: str) -> None:
    html = render_markdown(markdown)
    tree = _fragment(html)
    assert not tree.xpath("//script|//style|//iframe|//svg|//form|//input"), html
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            assert not value.lower().startswith(("javascript:", "data:")), html
    assert "alert(1)</" not in html


def test_code_class_only_keeps_a_language_name() -> None:
    html = render_markdown('<pre><code class="language-py evil">x</code></pre>')
    assert _fragment(html).xpath("//code[not(@class)]")


def test_relative_urls_resolve_against_base_url_only_when_given() -> None:
    markdown = "[rel](../andere/) [abs](https://example.org/) [anker](#teil) ![b](bild.png)"
    base = "https://portal.example.org/oss/news/eins/"
    tree = _fragment(render_markdown(markdown, base_url=base))
    assert tree.xpath("//a/@href") == [
        "https://portal.example.org/oss/news/andere/",
        "https://example.org/",
        "https://portal.example.org/oss/news/eins/#teil",
    ]
    assert tree.xpath("//img/@src") == ["https://portal.example.org/oss/news/eins/bild.png"]
    assert _fragment(render_markdown(markdown)).xpath("//a/@href")[0] == "../andere/"


def test_control_characters_are_stripped() -> None:
    assert strip_control_chars("a\x00b\x0bc\x1fd\x7fe\x85f\ufffeg\tz\nh\ri") == "abcdefg\tz\nh\ri"
    assert "\x0b" not in render_markdown("Text \x0b mit Steuerzeichen")
    assert one_line("  a \x0b\n b\t c ") == "a b c"


def test_plain_text_keeps_structure_and_link_targets() -> None:
    markdown = (
        "# Titel &amp; mehr\n\nAbsatz mit [Link](https://example.org/x) und "
        "[böse](javascript:alert(1)) und <a@example.org>.\n\n"
        "- eins\n- zwei\n    - zwei-a\n\n1. erster\n2. zweiter\n\n"
        "<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert plain_text(markdown) == (
        "Titel & mehr\n\n"
        "Absatz mit Link (https://example.org/x) und böse und a@example.org.\n\n"
        "- eins\n- zwei\n  - zwei-a\n\n"
        "1. erster\n2. zweiter\n\n"
        "a | b\n1 | 2"
    )


def test_plain_text_keeps_spaces_between_inline_elements_and_code_lines() -> None:
    # libxml2's HTML parser drops some whitespace-only text; never between inline elements.
    assert plain_text("*kursiv* **fett** `code`") == "kursiv fett code"
    assert plain_text("| *a* **b** |\n|---|\n| <kbd>x</kbd> <sub>1</sub> |") == "a b\nx 1"
    assert plain_text("```\nzeile 1\n\n\n  zeile 2\n```") == "zeile 1\n\n\n  zeile 2"
    assert plain_text("Zeile<br>nächste&nbsp;Zeile") == "Zeile nächste Zeile"
    assert plain_text("<pre>Zeile<br>nächste</pre>") == "Zeile\nnächste"


def test_text_extraction_closes_what_a_broken_fragment_leaves_open() -> None:
    assert html_to_text("<ol start='3'><li><a href='https://x.example/'>x") == (
        "3. x (https://x.example/)"
    )
    assert html_to_text("<p>danach</p>") == "danach"
    assert (
        html_to_text("<P>Groß</P><UL><LI>ge<B>schrie</B>ben</LI></UL>") == "Groß\n\n- geschrieben"
    )


def test_text_extraction_follows_the_sanitisers_tree() -> None:
    """A link around a block is valid HTML5 and the sanitiser keeps it; libxml2's older
    rules would end the link before the table. The target follows the link's text."""
    html = render_markdown('<a href="https://x.example/">\n\n| a |\n|---|\n| b |\n\n</a>')
    assert html_to_text(html) == "a\nb\n\n(https://x.example/)"


#: Markdown of every kind the rendering distinguishes, without raw HTML.
_MARKDOWN = [
    *"ab w.:@|~-*_`#>[]()\n 1/\"'&;\\!=\t",
    *("\xa0", "&nbsp;", "&quot;", "&amp;", "&#60;", "&lt;", "&copy;", "Größe", "„", "\u2028"),
    *("\r\n", "\x00", "\ud800", "www.", "http://", "a@b.de", "| - |", "|:-|", "~~", "\n\n"),
    *("## ", "- ", "    - ", "3. ", "> ", "---", "```", "~~~", "```py\n", "  \n", "    code"),
    *("[x]: /u", "[x]", "[l](#x)", "![a](b)", "![](b)", "[l](https://e.de/a?b=1&c=2)"),
    "[https://e.de](https://e.de)",
]
#: Raw HTML, except links around blocks (see the test above).
_RAW_HTML = [
    *("<", "<mailto:a@b.de>", "<b>", "<br>", "<pre>\n\nx</pre>", "<kbd>x</kbd>", "<p>", "</p>"),
    *("<dl><dt>a<dd>b</dl>", '<ol start="7">', "<li>", "</ol>", "<table><td>x<td>y</table>"),
    *("<sub>1</sub>", '<img alt="q>r" src=x.png>', "<!-- c -->", "<script>x</script>"),
    '<abbr title="a>b">',
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_MARKDOWN + _RAW_HTML), max_size=40).map("".join))
def test_text_extraction_agrees_with_an_html_parser(markdown: str) -> None:
    from text_oracle import reference_text

    html = render_markdown(markdown)
    assert html_to_text(html) == reference_text(html)


def test_plain_text_resolves_relative_links_with_base_url() -> None:
    text = plain_text("[Termine](../../events/)", base_url="https://x.example/a/b/")
    assert text == "Termine (https://x.example/events/)"


def test_plain_text_of_empty_markdown_is_empty() -> None:
    assert plain_text("") == ""
    assert html_to_text("<p>  </p>") == ""


def test_sanitize_html_is_idempotent() -> None:
    html = render_markdown("# T\n\n[a](https://example.org) *b*\n\n- c")
    assert sanitize_html(html) == html


@pytest.mark.parametrize(
    ("markdown", "xpath"),
    [
        ("~~gestrichen~~", "//del[.='gestrichen']"),
        ("Siehe www.example.org.", "//a[@href='http://www.example.org']"),
        ("Liste ohne Leerzeile:\n- eins\n- zwei", "//p/following-sibling::ul[count(li)=2]"),
        ("- oben\n  - zwei Leerzeichen eingerückt", "//ul/li/ul/li"),
    ],
)
def test_gitlab_preview_dialect(markdown: str, xpath: str) -> None:
    """Contributors see GitLab's preview (GitHub Flavored Markdown): the site agrees."""
    tree = _fragment(render_markdown(markdown))
    assert tree.xpath(xpath), render_markdown(markdown)


def test_heading_anchors_are_unique_and_replace_raw_attributes() -> None:
    html = render_markdown('## Ablauf\n\n## Ablauf\n\n<h3 id="__search" class="x">Größe</h3>')
    assert _fragment(html).xpath("//h2/@id") == ["ablauf", "ablauf-1"]
    assert _fragment(html).xpath("//h3/@id") == ["groesse"]
    assert "class" not in html and "__search" not in html


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"ab w.:@|~-*_`#>[]()\n 1/",
                *("www.", "WWW.", "http://", "HTTPS://", "ftp://", ":/", "mailto:", "xmpp:"),
                *("a@b.de", "| - |"),
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_extensions_attached_only_where_needed_change_nothing(text: str) -> None:
    """Each GitHub extension is attached only to texts with its characters: the output
    must equal a conversion with all of them."""
    import cmarkgfm
    from oss_portal.outputs.markdown import (
        _CMARK_EXTENSIONS,
        _CMARK_OPTIONS,
        _heading_ids,
        markdown_to_html,
    )

    everything = cmarkgfm.markdown_to_html_with_extensions(
        text, options=_CMARK_OPTIONS, extensions=[name for name, _marks in _CMARK_EXTENSIONS]
    )
    assert markdown_to_html(text) == _heading_ids(everything)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from([*_MARKDOWN, "<", "<b>"]), max_size=50).map("".join))
def test_texts_that_skip_the_sanitiser_come_out_as_it_would_write_them(text: str) -> None:
    """Prose without raw HTML, links, images and code blocks is not sanitised: the output
    must be the sanitiser's, byte for byte."""
    from oss_portal.outputs.markdown import _sanitised, markdown_to_html

    assert render_markdown(text) == _sanitised(markdown_to_html(text))


@pytest.mark.parametrize(
    ("markdown", "skips"),
    [
        # quotes, U+00A0, a line break and a rule: html5ever writes them differently
        ('## Ein "Zitat"\n\nA & B, 1\xa0%,  \nneue Zeile\n\n---\n\n- *eins*\n- `zwei`', True),
        ("| a | b |\n|:--|--:|\n| 1 | ~~2~~ |\n\n> Zitat", True),
        ("[Link](https://example.org)", False),
        ("www.example.org", False),
        ("![Bild](bild.png)", False),
        ("```python\nprint(1)\n```", False),
        ("<b>fett</b>", False),
    ],
)
def test_only_prose_skips_the_sanitiser(markdown: str, skips: bool) -> None:
    from oss_portal.outputs.markdown import _as_sanitised, _sanitised, markdown_to_html

    html = markdown_to_html(markdown)
    fast = None if "<" in markdown else _as_sanitised(html)
    assert (fast is not None) is skips
    if skips:
        assert fast == _sanitised(html)
        assert (fast != html) is ('"' in markdown)  # cmark-gfm's serialisation is not kept


@pytest.mark.parametrize(
    "reference", ["&#1;", "&#x7F;", "&#133;", "&#xFFFE;", "&#x0ffff;", "&#65535;"]
)
def test_character_references_never_bring_in_what_xml_forbids(reference: str) -> None:
    """cmark-gfm writes a referenced control character as it is, and U+FFFE/U+FFFF as
    invalid UTF-8; neither may reach a page, a feed or a calendar."""
    for markdown in (
        f"a {reference} b",
        f"| {reference} |\n|---|\n| x |",
        f"`{reference}`",
        f'<a href="https://x.example/{reference}" title="{reference}">raw HTML</a>',
    ):
        html = render_markdown(markdown)
        assert strip_control_chars(html) == html
        assert strip_control_chars(plain_text(markdown)) == plain_text(markdown)
