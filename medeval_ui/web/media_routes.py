"""``GET /media/item/{assignment_id}/{index}.png?window=...``: one image of an item.

The clinician page itself sends images as pixels through Gradio (no URL, no file name);
this route is for links a lead follows from a flag, and for browser tests. Images are
addressed by (assignment, position), never by a stored or original file name, and the
session is checked exactly like Gradio's pages (``session_user``). The service answers
only the assignment's clinician, or a lead or admin.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from medeval_ui.config import Settings
from medeval_ui.errors import MedevalError, NotFoundError, PermissionDeniedError
from medeval_ui.services import annotation
from medeval_ui.storage.engine import Database
from medeval_ui.web.auth import session_user

NO_STORE = {"Cache-Control": "private, no-store"}


def add_media_routes(api: FastAPI, db: Database, settings: Settings) -> None:
    media_dir = Path(settings.media_dir)

    # A plain `def`: FastAPI runs it in a thread (one database read, maybe a DICOM render).
    @api.get("/media/item/{assignment_id}/{index}.png", include_in_schema=False)
    def item_image(
        request: Request, assignment_id: int, index: int, window: str | None = None
    ) -> Response:
        user = session_user(request.session, db, settings.session_max_age_s)
        if user is None:
            return _error(401, "Sign in first.")
        try:
            png = annotation.item_image_png(
                db, media_dir, user.username, assignment_id, index, window or None
            )
        except NotFoundError as err:
            return _error(404, str(err))
        except PermissionDeniedError as err:
            return _error(403, str(err))
        except MedevalError as err:
            return _error(400, str(err))
        return Response(png, media_type="image/png", headers=NO_STORE)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status, headers=NO_STORE)
