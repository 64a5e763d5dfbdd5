"""Look up the theme's fixed strings once, when a template is compiled, instead of on every page.

A template says ``{{ t("theme.breadcrumb") }}`` about two hundred times across the theme. Called at
render time, each is a function call through Jinja's context, a dictionary lookup, a ``format`` and an
escape, on every one of thousands of pages; at 10,000 claims that is over a million calls, a tenth
of the rendering time. The answer cannot change during a build: the environment is made for one
site's words (``render.make_environment``) and made again when they change. So this extension
replaces each call of the global ``t`` with one literal string key and no other argument by the
string itself, as if the template had said ``{{ "Breadcrumb" }}``. Jinja then escapes it once, at
compile time, and joins it to the template text around it.

The page is the same byte for byte. A call is left as it is, to be made at render time, when:

- the key is not in the locale (the render-time call then fails with its usual message);
- the string is markup (a key ending in ``_html``): a literal would be escaped, markup is not;
- the template gives the name ``t`` a meaning of its own anywhere (``{% set t = ... %}``, a macro
  or loop variable, an import): the call may not be the global's.
"""

from __future__ import annotations

from collections.abc import Iterator

from jinja2.ext import Extension
from jinja2.lexer import TOKEN_DOT, TOKEN_LPAREN, TOKEN_NAME, TOKEN_RPAREN, TOKEN_STRING, Token, TokenStream
from markupsafe import Markup

WORDS_NAME = "t"
"""The name of the global that looks up the site's words (``render.make_environment``)."""


class ConstantWords(Extension):
    """Replace ``t("key")`` by the site's string for ``key`` when the template is compiled."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        tokens = list(stream)
        words = self.environment.globals.get(WORDS_NAME)
        if words is None or _names_words_itself(tokens):
            yield from tokens
            return
        index = 0
        while index < len(tokens):
            folded = _fold(tokens, index, words)
            if folded is None:
                yield tokens[index]
                index += 1
            else:
                yield folded
                index += 4


def _fold(tokens: list[Token], index: int, words) -> Token | None:
    """Return the string token that stands for the call starting at ``tokens[index]``, or None if it is not one to fold."""
    window = tokens[index : index + 4]
    if len(window) < 4 or [token.type for token in window] != [TOKEN_NAME, TOKEN_LPAREN, TOKEN_STRING, TOKEN_RPAREN]:
        return None
    if window[0].value != WORDS_NAME or (index and tokens[index - 1].type == TOKEN_DOT):
        return None
    try:
        text = words(window[2].value)
    except (KeyError, IndexError, ValueError):
        return None
    if isinstance(text, Markup) or not isinstance(text, str):
        return None
    return Token(window[0].lineno, TOKEN_STRING, text)


def _names_words_itself(tokens: list[Token]) -> bool:
    """Return whether the template uses the name ``t`` other than as ``t(...)`` or ``t.<attribute>``: it binds it."""
    for index, token in enumerate(tokens):
        if token.type != TOKEN_NAME or token.value != WORDS_NAME:
            continue
        after = tokens[index + 1].type if index + 1 < len(tokens) else None
        before = tokens[index - 1] if index else None
        if before is not None and before.type == TOKEN_DOT:
            continue  # an attribute of something else, x.t
        defines_macro = before is not None and before.type == TOKEN_NAME and before.value == "macro"
        if after not in (TOKEN_LPAREN, TOKEN_DOT) or defines_macro:
            return True
    return False
