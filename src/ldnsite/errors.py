"""Errors that stop ldnsite before or outside content validation.

Content problems are never raised: they are collected as ``Problem``s. These
exceptions are for what cannot be reported at a line of a content file, such as a
missing folder or a broken template. ``cli.py`` turns them into click errors.
"""


class LdnsiteError(Exception):
    """A failure that is not a content problem (exit code 1)."""


class UsageError(LdnsiteError):
    """The command was called wrongly, e.g. a folder that does not exist (exit code 2)."""


class TemplateError(LdnsiteError):
    """A template could not be loaded or rendered."""
