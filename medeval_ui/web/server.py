"""The web app: FastAPI owns login, sessions and headers; Gradio pages are mounted at /app.

Layers, outermost first: security headers -> CORS (our one origin) -> signed session
cookie -> send browsers without a valid session to /login -> routes and Gradio.
The middlewares are plain ASGI (not BaseHTTPMiddleware) so Gradio's server-sent event
streams pass through unbuffered.
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

from urllib.parse import urlsplit

import gradio as gr
from fastapi import FastAPI, Form, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medeval_ui.config import Settings
from medeval_ui.services import users
from medeval_ui.storage.engine import Database
from medeval_ui.web.auth import LoginThrottle, session_user, start_session
from medeval_ui.web.login_page import render_login
from medeval_ui.web.pages.studies import build_studies_page

APP_PATH = "/app"
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
    """Sends a browser asking for a page under /app without a valid session to /login.

    Gradio itself answers 401 JSON there, which a person would see as a blank error;
    API calls (no text/html in Accept) still get that 401.
    """

    def __init__(self, app: ASGIApp, *, db: Database, max_age_s: int) -> None:
        self.app = app
        self.db = db
        self.max_age_s = max_age_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _wants_app_page(scope):
            user = await run_in_threadpool(session_user, scope["session"], self.db, self.max_age_s)
            if user is None:
                await RedirectResponse("/login", status_code=303)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _wants_app_page(scope: Scope) -> bool:
    path: str = scope["path"]
    return (
        scope["method"] in ("GET", "HEAD")
        and (path == APP_PATH or path.startswith(APP_PATH + "/"))
        and "text/html" in Headers(scope=scope).get("accept", "")
    )


def _same_origin(request: Request, public_origin: str) -> bool:
    """Whether a form post comes from our own pages (login CSRF, forced logout).

    Sec-Fetch-Site first: with Referrer-Policy no-referrer, Chromium sends ``Origin: null``
    on our own form posts, so Origin alone cannot tell us from a foreign page.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True  # not a browser, or an old one: the SameSite=strict cookie still holds
    return origin == public_origin or urlsplit(origin).netloc == request.headers.get("host")


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

    @api.post("/login")
    def login(request: Request, username: str = Form(""), password: str = Form("")) -> Response:
        if not _same_origin(request, settings.public_origin):
            return HTMLResponse(render_login("This form must be sent from this site."), 403)
        client = request.client.host if request.client else "?"
        if throttle.blocked(client, username):
            return HTMLResponse(render_login(TOO_MANY, username), 429)
        user = users.authenticate(db, username, password)
        if user is None:
            throttle.failed(client, username)
            request.session.clear()
            return HTMLResponse(render_login(LOGIN_FAILED, username), 200)
        throttle.succeeded(client, username)
        start_session(request.session, user)
        return RedirectResponse(APP_PATH + "/", status_code=303)

    @api.api_route("/logout", methods=["GET", "POST"])
    def logout(request: Request) -> Response:
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    async def gradio_user(request: Request) -> str | None:
        # Gradio calls this on every page, config, upload and event request.
        user = await run_in_threadpool(session_user, request.session, db, max_age)
        return user.username if user is not None else None

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
    api.add_middleware(SecurityHeaders, https=https)

    blocks = build_studies_page(db)
    blocks.queue(default_concurrency_limit=8)
    return gr.mount_gradio_app(
        api,
        blocks,
        path=APP_PATH,
        auth_dependency=gradio_user,
        footer_links=[],
        run_history=False,
        enable_monitoring=False,
        mcp_server=False,
        pwa=False,
        ssr_mode=False,
        max_file_size=f"{settings.max_upload_mb}mb",
        # Gradio's sub-app would otherwise publish its route list at /app/openapi.json.
        app_kwargs={"openapi_url": None, "docs_url": None, "redoc_url": None},
    )
