"""The web app: FastAPI owns login, sessions and headers; Gradio pages are mounted at /app
(everyone signed in) and /lead (leads and admins: its own Blocks, whose auth dependency
refuses other roles, so a clinician cannot even load its config or call its events).

Layers, outermost first: security headers -> refuse requests from foreign pages (CSRF)
and uploads to pages that take none -> CORS (our one origin) -> signed session cookie ->
send browsers without a valid session to /login -> routes and Gradio.
The middlewares are plain ASGI (not BaseHTTPMiddleware) so Gradio's server-sent event
streams pass through unbuffered.
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import gradio as gr
from fastapi import FastAPI, Form, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medeval_ui.config import Settings
from medeval_ui.services import users
from medeval_ui.storage.engine import Database
from medeval_ui.web import auth
from medeval_ui.web.auth import LoginThrottle, session_user, start_session
from medeval_ui.web.export_routes import add_export_routes
from medeval_ui.web.login_page import render_login
from medeval_ui.web.media_routes import add_media_routes
from medeval_ui.web.pages.clinician import build_clinician_page
from medeval_ui.web.pages.compare import build_compare_page
from medeval_ui.web.pages.compare_shortcuts import COMPARE_HEAD
from medeval_ui.web.pages.lead import LEAD_ROLES, build_lead_blocks
from medeval_ui.web.pages.shortcuts import SHORTCUTS_HEAD

APP_PATH = "/app"
LEAD_PATH = "/lead"
COMPARE_PATH = "/compare"
LOGIN_FAILED = "Wrong username or password, or the account is not active."
TOO_MANY = "Too many failed attempts. Wait a few minutes, then try again."

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
    """Sends a browser asking for a page under /app or /lead without a valid session to
    /login, and one whose role may not use /lead to /app/.

    Gradio itself answers 401 JSON there, which a person would see as a blank error;
    API calls (no text/html in Accept) still get that 401.
    """

    def __init__(self, app: ASGIApp, *, db: Database, max_age_s: int) -> None:
        self.app = app
        self.db = db
        self.max_age_s = max_age_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        prefix = _wanted_page(scope) if scope["type"] == "http" else None
        if prefix is not None:
            user = await run_in_threadpool(session_user, scope["session"], self.db, self.max_age_s)
            target = None
            if user is None:
                target = "/login"
            elif prefix == LEAD_PATH and user.role not in LEAD_ROLES:
                target = APP_PATH + "/"
            if target is not None:
                await RedirectResponse(target, status_code=303)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _wanted_page(scope: Scope) -> str | None:
    """APP_PATH or LEAD_PATH when a browser asks for a page under it, else None."""
    path: str = scope["path"]
    if scope["method"] not in ("GET", "HEAD"):
        return None
    if "text/html" not in Headers(scope=scope).get("accept", ""):
        return None
    for prefix in (APP_PATH, LEAD_PATH, COMPARE_PATH):
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


def create_app(settings: Settings, db: Database) -> FastAPI:
    """The whole web app. Serve it with exactly one worker process (Gradio keeps state)."""
    max_age = settings.session_max_age_s
    https = settings.public_origin.startswith("https://")
    throttle = LoginThrottle()
    # No /docs or /redoc: they load Swagger UI from a CDN (offline) and list every route.
    api = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @api.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, bool]:
        return {"ok": True}

    @api.get("/")
    def root() -> RedirectResponse:
        return RedirectResponse(APP_PATH + "/", status_code=303)

    @api.get("/login")
    def login_form(request: Request) -> Response:
        if session_user(request.session, db, max_age) is not None:
            return RedirectResponse(APP_PATH + "/", status_code=303)
        return HTMLResponse(render_login())

    def too_many(client: str, username: str) -> Response:
        wait = throttle.retry_after(client, username)
        headers = {"Retry-After": str(max(wait, 1))}
        return HTMLResponse(render_login(TOO_MANY, username), 429, headers=headers)

    # Async, so a slowed answer waits without holding one of the worker threads.
    @api.post("/login")
    async def login(
        request: Request, username: str = Form(""), password: str = Form("")
    ) -> Response:
        # A login form posted from a foreign page is refused by ForeignRequestGuard.
        client = request.client.host if request.client else "?"
        attempt = throttle.begin(client, username)
        if attempt is None:
            return too_many(client, username)
        # authenticate() writes the "login" / "login_failed" audit rows itself.
        user = await run_in_threadpool(users.authenticate, db, username, password)
        if user is None:
            verdict = throttle.failed(attempt)
            request.session.clear()
            for rule in verdict.locked:
                await run_in_threadpool(
                    users.record_login_event,
                    db,
                    "login_locked",
                    username,
                    client,
                    scope=rule.scope,
                    failures=verdict.failures[rule.scope],
                    lock_s=rule.lock_s,
                )
            if verdict.locked:
                return too_many(client, username)
            if verdict.delay_s > 0:
                await auth.pause(verdict.delay_s)
            return HTMLResponse(render_login(LOGIN_FAILED, username), 200)
        throttle.succeeded(attempt)
        start_session(request.session, user)
        return RedirectResponse(APP_PATH + "/", status_code=303)

    @api.api_route("/logout", methods=["GET", "POST"])
    def logout(request: Request) -> Response:
        # Ends this user's sessions everywhere: clearing this cookie alone would leave a
        # copy of it valid for hours.
        user = session_user(request.session, db, max_age)
        if user is not None:
            users.end_sessions(db, user.id)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    async def gradio_user(request: Request) -> str | None:
        # Gradio calls this on every page, config, upload and event request.
        user = await run_in_threadpool(session_user, request.session, db, max_age)
        return user.username if user is not None else None

    async def lead_user(request: Request) -> str | None:
        # The same, for /lead: any other role is "not authenticated" there (401).
        user = await run_in_threadpool(session_user, request.session, db, max_age)
        return user.username if user is not None and user.role in LEAD_ROLES else None

    # Added innermost first: the last one added sees the request first.
    api.add_middleware(LoginRedirect, db=db, max_age_s=max_age)
    api.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key(),
        session_cookie="medeval_session",
        max_age=max_age,
        same_site="strict",
        https_only=https,
    )
    api.add_middleware(
        CORSMiddleware,
        allow_origins=[settings.public_origin],
        allow_credentials=True,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
    )
    api.add_middleware(
        ForeignRequestGuard,
        public_origin=settings.public_origin,
        no_upload_prefixes=(APP_PATH, COMPARE_PATH),  # only the lead page has a file input
        max_upload_mb=settings.max_upload_mb,
    )
    api.add_middleware(SecurityHeaders, https=https)

    add_export_routes(api, db, settings)
    add_media_routes(api, db, settings)
    lead_blocks = build_lead_blocks(db, settings)
    lead_blocks.queue(default_concurrency_limit=4)
    _mount(api, lead_blocks, LEAD_PATH, lead_user, settings)
    compare = build_compare_page(db, settings).queue(default_concurrency_limit=8)
    _mount(api, compare, COMPARE_PATH, gradio_user, settings)

    blocks = build_clinician_page(db, settings)
    blocks.queue(default_concurrency_limit=8)
    return _mount(api, blocks, APP_PATH, gradio_user, settings)


def _mount(
    api: FastAPI,
    blocks: gr.Blocks,
    path: str,
    auth_dependency: Callable[[Request], Awaitable[str | None]],
    settings: Settings,
) -> FastAPI:
    mounted = gr.mount_gradio_app(
        api,
        blocks,
        path=path,
        auth_dependency=auth_dependency,
        footer_links=[],
        run_history=False,
        enable_monitoring=False,
        mcp_server=False,
        pwa=False,
        ssr_mode=False,
        max_file_size=f"{settings.max_upload_mb}mb",
        head={APP_PATH: SHORTCUTS_HEAD, COMPARE_PATH: COMPARE_HEAD}.get(path),
        # Gradio's sub-app would otherwise publish its route list at /app/openapi.json.
        app_kwargs={"openapi_url": None, "docs_url": None, "redoc_url": None},
    )
    # Gradio checks that a file an event receives (a gr.File input) lies in its upload
    # folder only once the Blocks "has launched", which mount_gradio_app never sets
    # (gradio 6.31, processing_utils._check_allowed). Without this, an API call could
    # hand the import any path on the server ({"path": "/etc/passwd"}) as its upload.
    blocks.has_launched = True
    return mounted
