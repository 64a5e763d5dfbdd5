"""Two shortcuts through Jinja's runtime that leave every rendered page the same, byte for byte.

A page of the theme prints about two hundred values (``{{ ... }}``) and calls a few dozen macros;
at 10,000 claims that is some 3.5 million escapes and 600,000 calls per build, and the runtime's
own bookkeeping around them was a quarter of the rendering time.

- **Escaping output.** With autoescape on, Jinja compiles ``{{ value }}`` to ``escape(value)``:
  markupsafe's ``escape``, which escapes in C and then wraps the result in a ``Markup`` object,
  built by a constructor written in Python. What a template prints is only ever joined into text,
  and the code Jinja generates wraps that text in ``Markup`` itself wherever it must stay markup
  (a macro's result, ``{% set %}`` and filter blocks). So ``LeanTemplate`` gives its compiled code
  ``output_escape``: the same C escaping, without the wrapper. ``|e`` and ``|escape`` are filters,
  not this name, and still return markup.
- **Calling macros and the site's words.** Jinja compiles every call in a template to
  ``context.call(f, ...)``, which asks each callee whether it wants the context or the environment
  passed in. A macro never does, nor do the site's words (``t(...)``, ``t.label(...)``), so
  ``LeanContext`` calls them straight away and leaves every other callee to Jinja.

Both hook into documented places (``Environment.template_class`` and ``context_class``);
``LeanTemplate`` also overrides ``Template._from_namespace``, the one step every compiled template
passes through. Should a new Jinja stop calling it, pages stay correct and only lose the speed:
``tests/test_lean_templates.py`` checks that the shortcut is in use, and that pages come out the same.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, MutableMapping
from types import MethodType
from typing import Any

import jinja2
import markupsafe
from jinja2.runtime import Context, Macro

ESCAPE_NAME = "escape"
"""The name by which the code Jinja compiles calls the escaping of each printed value."""


_escape_inner: Any = getattr(markupsafe, "_escape_inner", None)
"""MarkupSafe 3's escaping of a ``str`` (in C where built), which its ``escape`` wraps; MarkupSafe 2 has none."""


def output_escape(value: Any) -> str:
    """Escape a printed value exactly as ``markupsafe.escape`` does, returned as ``str`` rather than ``Markup``."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_inner(str(value))


class LeanTemplate(jinja2.Template):
    """A template whose printed values are escaped by ``output_escape``."""

    @classmethod
    def _from_namespace(
        cls, environment: jinja2.Environment, namespace: MutableMapping[str, Any], globals: MutableMapping[str, Any]
    ) -> jinja2.Template:
        # The compiled code's functions look the name up in this namespace (their module's globals) on each call.
        # With MarkupSafe 2, whose escape is itself written in C, Jinja's own is kept.
        if _escape_inner is not None:
            namespace[ESCAPE_NAME] = output_escape
        return super()._from_namespace(environment, namespace, globals)


class LeanContext(Context):
    """A template context that calls macros (and the classes of ``direct_types``) directly, and any other callee as Jinja does."""

    direct_types: frozenset[type] = frozenset()
    """Classes whose instances, and whose instances' methods, take neither context nor environment (``calling_directly``)."""

    @classmethod
    @functools.cache
    def calling_directly(cls, *classes: type) -> type[LeanContext]:
        """Return a context class that also calls instances of ``classes`` and their methods directly.

        The site's words (``t``, ``t.label``) are called hundreds of thousands of times a build. A class
        with a method marked for Jinja's ``pass_context`` (or its kin) is refused: it would not get
        what it asks for. Nor may an instance carry such a mark of its own.
        """
        for kind in classes:
            marked = [name for klass in kind.__mro__ for name, attr in vars(klass).items() if hasattr(attr, "jinja_pass_arg")]
            if marked:
                raise TypeError(f"{kind.__name__}.{marked[0]} asks Jinja for the context: it cannot be called directly")
        return type(f"{cls.__name__}Calling", (cls,), {"direct_types": cls.direct_types | frozenset(classes)})

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own signature
        kind = type(__obj)
        if not (
            kind is Macro or kind in __self.direct_types or (kind is MethodType and type(__obj.__self__) in __self.direct_types)  # type: ignore[attr-defined]
        ):
            return Context.call(__self, __obj, *args, **kwargs)
        # What Context.call does for a callee that takes neither context nor environment.
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")
