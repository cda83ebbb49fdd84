"""``GET /api/export/{kind}.{fmt}?study=SLUG``: a study's data as a download, for leads and admins.

The export services write to a file: a private temporary file (mode 0600), opened again
and unlinked at once, then streamed from the open handle in 64 KiB chunks, so memory stays
bounded, nothing is left on disk however the download ends, and the database read is
over before a slow browser starts downloading. The session is
checked exactly like Gradio's pages (``session_user``: signed cookie, login age, the
account re-read from the database). ``usernames=1`` (usernames instead of pseudonyms)
is for admins only, as the CLI's ``--usernames``; the export's audit row records it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from medeval_ui.config import Settings
from medeval_ui.errors import MedevalError, NotFoundError
from medeval_ui.services import exports
from medeval_ui.storage.engine import Database
from medeval_ui.web.auth import session_user

KINDS = ("ratings", "votes", "cases", "outputs")
FORMATS = ("csv", "jsonl", "parquet", "arena")
EXPORT_ROLES = ("lead", "admin")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "arena": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}


def export_url(
    kind: str, fmt: str, study: str, *, shape: str = "long", usernames: bool = False
) -> str:
    """The route's address for these choices (what the lead page links to)."""
    query: dict[str, str] = {"study": study}
    if shape != "long":
        query["shape"] = shape
    if usernames:
        query["usernames"] = "1"
    return f"/api/export/{kind}.{fmt}?{urlencode(query)}"


def export_filename(kind: str, fmt: str, study: str, shape: str = "long") -> str:
    """A neutral name: the study, what and how, e.g. ``demo-ratings.csv``."""
    parts = [study, kind] + (["wide"] if kind == "ratings" and shape == "wide" else [])
    if fmt == "arena":
        return "-".join([*parts, "arena"]) + ".jsonl"
    return "-".join(parts) + f".{fmt}"


def write_export(
    db: Database,
    kind: str,
    fmt: str,
    study: str,
    dest: Path,
    *,
    shape: str = "long",
    usernames: bool = False,
    actor: str,
) -> int:
    """Run the export service for ``kind`` into ``dest``; MedevalError for a bad choice."""
    if kind not in KINDS:
        raise MedevalError(f"unknown export '{kind}'; use one of: {', '.join(KINDS)}")
    if fmt == "arena" and kind != "votes":
        raise MedevalError("the arena format is for votes only")
    if kind == "ratings":
        return exports.export_ratings(
            db, study, fmt, dest, shape=shape, include_usernames=usernames, actor=actor
        )
    if kind == "votes":
        return exports.export_votes(db, study, fmt, dest, include_usernames=usernames, actor=actor)
    if usernames:
        raise MedevalError(f"usernames=1 applies to ratings and votes, not {kind}")
    if kind == "cases":
        return exports.export_cases(db, study, fmt, dest, actor=actor)
    return exports.export_outputs(db, study, fmt, dest, actor=actor)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


CHUNK = 64 * 1024


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    try:
        while data := handle.read(CHUNK):
            yield data
    finally:
        handle.close()


def _open_and_unlink(path: Path) -> tuple[BinaryIO, int]:
    """The file, open for reading, already gone from the folder (POSIX keeps the data)."""
    handle = path.open("rb")
    try:
        size = os.fstat(handle.fileno()).st_size
    finally:
        path.unlink(missing_ok=True)
    return handle, size


def add_export_routes(api: FastAPI, db: Database, settings: Settings) -> None:
    max_age = settings.session_max_age_s

    # A plain `def`: FastAPI runs it in a worker thread (database reads, file writing).
    @api.get("/api/export/{kind}.{fmt}", include_in_schema=False)
    def export(
        request: Request,
        kind: str,
        fmt: str,
        study: str = "",
        shape: str = "long",
        usernames: str = "",
    ) -> Response:
        user = session_user(request.session, db, max_age)
        if user is None:
            return _error(401, "Not authenticated")
        if user.role not in EXPORT_ROLES:
            return _error(403, f"Exports need the role lead or admin; you are {user.role}.")
        flag = usernames.strip().lower()
        if flag not in ("", "0", "1", "true", "false"):
            return _error(400, "usernames must be 0 or 1")
        want_names = flag in ("1", "true")
        if want_names and user.role != "admin":
            return _error(403, "usernames=1 is for admins only; leave it out for pseudonyms.")
        if not study:
            return _error(400, "say which study: ?study=SLUG")
        if fmt not in FORMATS:
            return _error(400, f"unknown export format '{fmt}'; use one of: {', '.join(FORMATS)}")
        fd, name = tempfile.mkstemp(prefix="medeval-export-", suffix=f".{fmt}")
        os.close(fd)
        path = Path(name)
        try:
            rows = write_export(
                db, kind, fmt, study, path, shape=shape, usernames=want_names, actor=user.username
            )
            handle, size = _open_and_unlink(path)
        except NotFoundError as err:
            return _error(404, str(err))
        except MedevalError as err:
            return _error(400, str(err))
        finally:
            path.unlink(missing_ok=True)
        filename = export_filename(kind, fmt, study, shape)
        return StreamingResponse(
            _chunks(handle),
            media_type=MEDIA_TYPES[fmt],
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Content-Length": str(size),
                "Cache-Control": "no-store",
                "X-Medeval-Rows": str(rows),
            },
        )
