"""The HTML of simple Markdown, without Python-Markdown: paragraphs, bullet lists, emphasis and links.

Most texts of a site are prose with a word or two in emphasis, sometimes a short list of points.
Python-Markdown and the sanitizer take about 0.2 ms for such a text; at 10,000 claims that is a
tenth of the rendering time. This module recognises texts that use nothing else and writes the
HTML those two would write, directly. Anything outside that small language (a link, code, a
heading, a numbered list, HTML, an entity, underscores, an asterisk that does not open or close
a span, a list item longer than its line, two blank lines...) gets ``None``, and the caller takes
the full path. ``tests/test_render.py`` compares the two paths on generated texts from both sides
of the line.

The language, exactly:

- blocks separated by one blank line, the text ending in at most one newline;
- a block is a paragraph (lines that start with a letter or an emphasis span), or a bullet list
  (every line starts with ``- ``, then such a text) that does not follow another list;
- within a line: characters that are not Markdown or HTML syntax; spans ``*text*`` or ``**text**``
  whose text, on one line, has no asterisk and neither starts nor ends with a space, and which are
  not followed by another asterisk; spans ``_text_`` alike, not inside a word; and links
  ``[text](https://...)`` with such a text and an address of plain characters (no parenthesis,
  quote, ampersand, underscore or asterisk);
- no line ends with a space (two would be a line break).
"""

from __future__ import annotations

import re

_TEXT_CHAR = r"[^\n\\`*_\[\]<>&\x00-\x1f\x7f\xa0]"
"""A character with no meaning to Markdown or HTML: no escape, code, emphasis, link, tag, entity, control
character, nor non-breaking space (which the sanitizer writes as an entity)."""

_EDGE_CHAR = r"[^\s\\`*_\[\]<>&\x00-\x1f\x7f\xa0]"
"""Such a character that is not a space: what an emphasis span starts and ends with."""

_SPAN_TEXT = rf"{_EDGE_CHAR}(?:{_TEXT_CHAR}*?{_EDGE_CHAR})?"
"""The text of an emphasis span or of a link: on one line, starting and ending with a character that is not a space."""

_SPAN = rf"(?:\*\*{_SPAN_TEXT}\*\*|\*{_SPAN_TEXT}\*)(?!\*)"
"""An emphasis span not followed by another asterisk: for two spans side by side ('*a**b*') Markdown's rules
pair the asterisks otherwise."""

_URL_CHAR = r"[^\s()<>&\"'\\`*_\[\]\x00-\x1f\x7f\xa0]"
"""A character of a web address in a link: none that Markdown or HTML would read otherwise, nor quotes."""

_UNDERSCORED = rf"(?<!\w)_{_SPAN_TEXT}_(?!\w)"
"""Emphasis with underscores, ``_text_``: only where Markdown's rule for them holds, not inside a word."""

_LINK = rf"(?<!!)\[{_SPAN_TEXT}\]\(https?://{_URL_CHAR}+\)"
"""An inline link to a web address, ``[text](https://...)``, its text plain; not an image (``![...]``)."""

_LINE = re.compile(rf"(?:[^\W\d_]|{_SPAN}|{_UNDERSCORED})(?:{_TEXT_CHAR}|{_SPAN}|{_UNDERSCORED}|{_LINK})*(?<!\s)")
"""A line of a paragraph, or the text of a list item (never starting with a link: '[a]: ...' would define one)."""

_UNDERSCORE_EMPHASIS = re.compile(rf"(?<!\w)_({_SPAN_TEXT})_(?!\w)")
_LINKS = re.compile(rf"(?<!!)\[({_SPAN_TEXT})\]\((https?://{_URL_CHAR}+)\)")
_STRONG = re.compile(rf"\*\*({_SPAN_TEXT})\*\*")
_EMPHASIS = re.compile(rf"\*({_SPAN_TEXT})\*")

_PLAIN_LINE = rf"[^\W\d_]{_TEXT_CHAR}*{_EDGE_CHAR}"
PLAIN_PARAGRAPH = re.compile(rf"(?:{_PLAIN_LINE}\n)*{_PLAIN_LINE}\n?\Z")
"""The commonest simple text, matched by one expression before ``simple_html`` looks at it line by line: one
paragraph of plain prose (lines of two characters or more that start with a letter), which Markdown only wraps
in <p>."""

_ITEM = "- "


def simple_html(text: str) -> str | None:
    """Return the HTML Python-Markdown and the sanitizer give ``text``, or None if it is not simple Markdown."""
    if text.endswith("\n"):
        text = text[:-1]
    html = []
    after_list = False
    for block in text.split("\n\n"):
        lines = block.split("\n")
        if lines[0].startswith(_ITEM):
            if after_list:
                return None  # two lists with a blank line between them are one loose list, its items in paragraphs
            after_list = True
            items = [line[len(_ITEM) :] for line in lines if line.startswith(_ITEM)]
            if len(items) != len(lines) or not all(_LINE.fullmatch(item) for item in items):
                return None
            html.append("<ul>\n" + "".join(f"<li>{_inline(item)}</li>\n" for item in items) + "</ul>")
        else:
            after_list = False
            if not all(_LINE.fullmatch(line) for line in lines):
                return None  # an empty line too: three newlines in a row, or a text that starts or ends with a blank line
            html.append(f"<p>{_inline(block)}</p>")
    return "\n".join(html)


def _inline(text: str) -> str:
    if "[" in text:
        text = _LINKS.sub(r'<a href="\2" rel="noopener noreferrer">\1</a>', text)  # the sanitizer adds rel to every link
    if "_" in text:
        text = _UNDERSCORE_EMPHASIS.sub(r"<em>\1</em>", text)
    if "*" not in text:
        return text
    return _EMPHASIS.sub(r"<em>\1</em>", _STRONG.sub(r"<strong>\1</strong>", text))
