"""The ASGI middlewares around the whole app (plain ASGI, not BaseHTTPMiddleware, so that
Gradio's server-sent event streams pass through unbuffered).

Outermost first, as server.create_app adds them: security headers -> refuse requests from
foreign pages (CSRF) and uploads to pages that take none -> CORS -> signed session cookie
-> send browsers without a valid session (or role) to /login.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medeval_ui.storage.engine import Database
from medeval_ui.web.auth import session_user
from medeval_ui.web.login_page import render_login

# Checked in headless Chromium against gradio 6.31 (login, Studies page, its load event,
# log out): no violation with this policy. Gradio's page carries inline <script>s (its
# config, mode flag, iframe resizer); without 'unsafe-inline' they are blocked and the app
# still renders by fetching /config, but loses its "app" mode, so we keep it. Nothing
# needed 'unsafe-eval' (only custom `js=` code and Altair/Vega plots would).
# img-src without http:/https: is what stops model output from loading remote images.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeaders:
    """Adds CSP and friends to every response, Gradio's and ours."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.headers = {
            "Content-Security-Policy": CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY",
        }
        if https:
            self.headers["Strict-Transport-Security"] = "max-age=31536000"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LoginRedirect:
    """Sends a browser asking for a page under one of ``pages`` without a valid session to
    /login, and one whose role may not use that page to ``fallback``.

    ``pages``: mount path -> the roles it admits (empty: every signed-in user). Gradio
    itself answers 401 JSON there, which a person would see as a blank error; API calls
    (no text/html in Accept) still get that 401.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        db: Database,
        max_age_s: int,
        pages: Mapping[str, tuple[str, ...]],
        fallback: str,
    ) -> None:
        self.app = app
        self.db = db
        self.max_age_s = max_age_s
        self.pages = dict(pages)
        self.fallback = fallback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        prefix = self._wanted_page(scope) if scope["type"] == "http" else None
        if prefix is not None:
            user = await run_in_threadpool(session_user, scope["session"], self.db, self.max_age_s)
            target = None
            roles = self.pages[prefix]
            if user is None:
                target = "/login"
            elif roles and user.role not in roles:
                target = self.fallback
            if target is not None:
                await RedirectResponse(target, status_code=303)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _wanted_page(self, scope: Scope) -> str | None:
        """The mount path when a browser asks for a page under one, else None."""
        path: str = scope["path"]
        if scope["method"] not in ("GET", "HEAD"):
            return None
        if "text/html" not in Headers(scope=scope).get("accept", ""):
            return None
        for prefix in self.pages:
            if path == prefix or path.startswith(prefix + "/"):
                return prefix
        return None


def _same_origin(headers: Headers, public_origin: str) -> bool:
    """Whether a request comes from our own pages (or from no page: a typed address, a
    script), not from a foreign page using the visitor's cookie.

    Sec-Fetch-Site first: with Referrer-Policy no-referrer, Chromium sends ``Origin: null``
    on our own form posts, so Origin alone cannot tell us from a foreign page. "same-site"
    is refused too: a page on another port or a sibling subdomain of the same site gets
    the SameSite=strict cookie sent along.
    """
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None or origin == "null":
        return True  # not a browser, or an old one: the SameSite=strict cookie still holds
    return origin == public_origin or urlsplit(origin).netloc == headers.get("host")


FOREIGN_PAGE = "This request must come from the pages of this site."
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Read-only routes that hand out study data: refused to foreign pages even for GET.
DATA_PREFIXES = ("/api/", "/media/")
UPLOAD_SUFFIX = "/gradio_api/upload"


class ForeignRequestGuard:
    """Refuses, before anything runs, a request that changes something (login, Gradio's
    queue/join, uploads) or reads study data (/api, /media) when a foreign page sent it:
    CORS alone only hides the answer from that page, the action would still happen.

    Also refuses uploads under the mounts that take none (every logged-in user could
    otherwise fill the disk through Gradio's upload route), and answers a too-large
    upload with a message that names the limit in MB.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        public_origin: str,
        no_upload_prefixes: tuple[str, ...],
        max_upload_mb: int,
    ) -> None:
        self.app = app
        self.public_origin = public_origin
        self.no_upload_prefixes = no_upload_prefixes
        self.too_large = (
            f"The file is larger than the upload limit of {max_upload_mb} MB "
            "(MEDEVAL_MAX_UPLOAD_MB). Split it, or ask your administrator to raise the limit."
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        path: str = scope["path"]
        guarded = method in UNSAFE_METHODS or path.startswith(DATA_PREFIXES)
        if guarded and not _same_origin(Headers(scope=scope), self.public_origin):
            if path == "/login":
                response: Response = HTMLResponse(render_login(FOREIGN_PAGE), 403)
            else:
                response = JSONResponse({"detail": FOREIGN_PAGE}, 403)
            await response(scope, receive, send)
            return
        if method == "POST" and path.endswith(UPLOAD_SUFFIX):
            prefix = path[: -len(UPLOAD_SUFFIX)]
            if prefix in self.no_upload_prefixes:
                refused = JSONResponse({"detail": "This page takes no file uploads."}, 403)
                await refused(scope, receive, send)
                return
            await self.app(scope, receive, self._clear_too_large(send))
            return
        await self.app(scope, receive, send)

    def _clear_too_large(self, send: Send) -> Send:
        """Gradio says "exceeded maximum allowed size of 209715200 bytes": say it in MB."""
        replacing = False

        async def send_clearer(message: Message) -> None:
            nonlocal replacing
            if message["type"] == "http.response.start" and message["status"] == 413:
                replacing = True
                body = JSONResponse({"detail": self.too_large}, 413)
                await send(
                    {"type": "http.response.start", "status": 413, "headers": body.raw_headers}
                )
                await send({"type": "http.response.body", "body": body.body})
                return
            if replacing:
                return  # Gradio's own body: already answered
            await send(message)

        return send_clearer
