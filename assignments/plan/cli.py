"""What the management commands share: reading and writing a plan file, and naming an unknown team.

Every failure is a ``CommandError`` of one line (the command prints it without
a traceback and exits non-zero).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from roles.models import Team


def read_plan_file(path: Path) -> Any:
    """Parse a plan file; decimals stay exact (no float on the way in).

    A leading byte-order mark is accepted (some editors write one). A missing,
    unreadable or broken file is a CommandError, whatever broke: a folder, bytes
    that are not UTF-8, nesting deeper than Python recurses, a number longer
    than Python converts.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise CommandError(_("%(path)s: no such file") % {"path": path}) from error
    except IsADirectoryError as error:
        raise CommandError(_("%(path)s: is a folder, not a file") % {"path": path}) from error
    except UnicodeDecodeError as error:
        raise CommandError(
            _("%(path)s: not UTF-8 text (byte %(position)s)") % {"path": path, "position": error.start}
        ) from error
    except OSError as error:
        raise CommandError(
            _("%(path)s: cannot be read (%(error)s)") % {"path": path, "error": error.strerror}
        ) from error
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise CommandError(_("%(path)s: not valid JSON (%(error)s)") % {"path": path, "error": error}) from error
    except RecursionError as error:
        raise CommandError(_("%(path)s: not valid JSON (nested too deeply)") % {"path": path}) from error
    except ValueError as error:  # int(): more digits than Python converts (sys.get_int_max_str_digits)
        raise CommandError(_("%(path)s: not valid JSON (a number is too long)") % {"path": path}) from error


def write_plan_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: into a new file beside it, then renamed over it.

    An existing file keeps its permissions; a new one gets the usual ones (the umask's).
    """
    if path.is_dir():
        raise CommandError(_("%(path)s: is a folder, not a file") % {"path": path})
    folder = path.parent
    if not folder.is_dir():
        raise CommandError(_("%(path)s: no such folder %(folder)s") % {"path": path, "folder": folder})
    temporary = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        _write_then_rename(path, temporary, text)
    except OSError as error:
        raise CommandError(
            _("%(path)s: cannot be written (%(error)s)") % {"path": path, "error": error.strerror or error}
        ) from error


def _write_then_rename(path: Path, temporary: Path, text: str) -> None:
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:  # an interrupted write leaves the old file, and no half-written one beside it
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


def unknown_team_message(slug: str) -> str:
    """The error for a ``--team`` slug that names no team, listing the slugs that do."""
    known = ", ".join(Team.objects.values_list("slug", flat=True)) or "-"
    return _("No team with slug '%(slug)s' (teams: %(known)s).") % {"slug": slug, "known": known}
