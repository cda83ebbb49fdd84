"""The web app: FastAPI owns login, sessions and headers; Gradio pages are mounted at /app
(everyone signed in) and /lead (leads and admins: its own Blocks, whose auth dependency
refuses other roles, so a clinician cannot even load its config or call its events).

Layers, outermost first: security headers -> refuse requests from foreign pages (CSRF)
and uploads to pages that take none -> CORS (our one origin) -> signed session cookie ->
send browsers without a valid session to /login -> routes and Gradio. The middlewares are
in web/middleware.py.
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

from collections.abc import Awaitable, Callable

import gradio as gr
from fastapi import FastAPI, Form, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware

from medeval_ui.config import Settings
from medeval_ui.services import users
from medeval_ui.storage.engine import Database
from medeval_ui.web import auth
from medeval_ui.web.auth import LoginThrottle, session_user, start_session
from medeval_ui.web.export_routes import add_export_routes
from medeval_ui.web.login_page import render_login
from medeval_ui.web.media_routes import add_media_routes
from medeval_ui.web.middleware import ForeignRequestGuard, LoginRedirect, SecurityHeaders
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
    pages = {APP_PATH: (), COMPARE_PATH: (), LEAD_PATH: LEAD_ROLES}
    api.add_middleware(
        LoginRedirect, db=db, max_age_s=max_age, pages=pages, fallback=APP_PATH + "/"
    )
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
