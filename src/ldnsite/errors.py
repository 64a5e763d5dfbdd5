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


_OS_FAILURES = {
    "ENOSPC": ("no space left on the device", "free some space, then run the command again"),
    "EDQUOT": ("disk quota exceeded", "free some space within your quota, then run the command again"),
    "EROFS": ("read-only file system", "choose a folder on a writable file system (--out)"),
    "EACCES": ("permission denied", "check the owner and permissions of the folder, or choose another one"),
    "EPERM": ("operation not permitted", "check the owner and permissions of the folder, or choose another one"),
    "ENAMETOOLONG": ("file name too long", "use a shorter name or folder path"),
    "EADDRINUSE": ("port already in use", "stop the program using it, or choose another --port"),
    "EMFILE": ("too many open files", "raise the limit (ulimit -n), then run the command again"),
    "ENFILE": ("too many open files in the system", "close other programs, then run the command again"),
    "EIO": ("input/output error", "check the disk"),
}


def describe_os_error(exc: OSError, doing: str = "") -> str:
    """Return one line saying what failed in the environment, where, and what to do: the one place OSError becomes text.

    ``doing`` names the step (e.g. ``"writing the site"``). The error's own file name, if any, says where.
    Any output being replaced stays as it was: the writers only ever swap in a finished folder.
    """
    import errno as errno_codes

    name = errno_codes.errorcode.get(exc.errno or 0, "")
    what, hint = _OS_FAILURES.get(name, ((exc.strerror or str(exc)).lower(), ""))
    where = " -> ".join(str(path) for path in (exc.filename, exc.filename2) if path is not None)
    line = what + (f" while {doing}" if doing else "") + (f": {where}" if where else "")
    line += f" [{name}]" if name else ""
    return line + (f"; {hint}" if hint else "")
