"""The database, the study, the accounts and the app processes of a load run.

Everything a run needs is made before any server starts, through the same services the
CLI uses: a fresh database (a SQLite file in a temporary folder, or a new PostgreSQL
database created next to the one ``--pg-url`` names), its schema, one study that collects
ratings and pairwise votes, and one clinician account per simulated clinician. Each app
instance is then a separate ``python -m medeval_ui serve`` process (one uvicorn worker, as
in production), so it can be killed with SIGKILL and started again.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from medeval_ui.config import Settings

ROOT = Path(__file__).resolve().parents[2]
SLUG = "load"
PASSWORD = "load-test-password-1"
MODELS = ("m-alpha", "m-beta", "m-gamma")  # stored on the server only; the study is blind
DEFAULT_PG_URL = "postgresql+psycopg://root@127.0.0.1/test"


@dataclass
class Deployment:
    """One database and the files every instance shares (secret key, media folder)."""

    engine: str  # "sqlite" or "postgres"
    url: str
    folder: Path
    admin_url: str | None = None  # PostgreSQL: where the database was created from
    db_name: str | None = None

    @property
    def secret_key_file(self) -> Path:
        return self.folder / "secret_key"

    @property
    def media_dir(self) -> Path:
        return self.folder / "media"

    def drop(self) -> None:
        """PostgreSQL: drop the database this run created (SQLite: the folder goes)."""
        if self.admin_url and self.db_name:
            pg_admin(self.admin_url, f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')


def pg_admin(admin_url: str, statement: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(admin_url)
    with psycopg.connect(
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        user=u.username,
        password=u.password,
        dbname=u.database or "postgres",
        autocommit=True,
    ) as conn:
        conn.execute(statement.encode())


def sqlite_deployment(folder: Path) -> Deployment:
    folder.mkdir(parents=True, exist_ok=True)
    return Deployment("sqlite", f"sqlite:///{folder / 'medeval.sqlite3'}", folder)


def postgres_deployment(folder: Path, admin_url: str = DEFAULT_PG_URL) -> Deployment:
    """A new, empty PostgreSQL database on the server ``admin_url`` points at."""
    from sqlalchemy.engine import make_url

    folder.mkdir(parents=True, exist_ok=True)
    name = f"medeval_load_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    pg_admin(admin_url, f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(database=name, query={})
    return Deployment(
        "postgres",
        url.render_as_string(hide_password=False),
        folder,
        admin_url=admin_url,
        db_name=name,
    )


@dataclass(frozen=True)
class StudyShape:
    cases: int
    ratings_per_output: int = 3
    votes_per_pair: int = 3
    models: tuple[str, ...] = MODELS


def prepare_deployment(
    dep: Deployment, shape: StudyShape, clinicians: list[str], *, cheap_hash: bool = False
) -> None:
    """Schema, study (ratings and pairwise, blind) and clinician accounts, through the
    services. ``cheap_hash``: fast Argon2 parameters (tests); the servers verify any."""
    from medeval_ui.services import users
    from medeval_ui.services.import_cases import import_cases
    from medeval_ui.services.import_outputs import import_outputs
    from medeval_ui.services.setup import open_database, prepare
    from medeval_ui.services.studies import create_study

    settings = _settings(dep, port=0)
    # The shared secret key, made once here: instances started together would race to
    # create it (config.Settings.secret_key), as they would to create the schema.
    settings.secret_key()
    db = open_database(settings)
    try:
        prepare(settings, db, load_demo=False)
        create_study(
            db,
            SLUG,
            "Load test: fever and chest pain",
            "xlingeval_correctness",
            guidelines="Compare each response with the **reference answer**.",
            modes=("rating", "pairwise"),
            ratings_per_output=shape.ratings_per_output,
            votes_per_pair=shape.votes_per_pair,
            show_reference=True,
        )
        cases = dep.folder / "cases.jsonl"
        outputs = dep.folder / "outputs.jsonl"
        with cases.open("w", encoding="utf-8") as fh:
            for i in range(shape.cases):
                row = {
                    "external_id": f"c{i:05d}",
                    "language": "en",
                    "prompt": f"Patient {i}: fever for {i % 9 + 1} days and chest pain. Next?",
                    "reference_answer": "Check oxygen saturation; consider a chest X-ray.",
                }
                fh.write(json.dumps(row) + "\n")
        with outputs.open("w", encoding="utf-8") as fh:
            for i in range(shape.cases):
                for n, model in enumerate(shape.models):
                    # Distinct texts (a client names a pair by what it was shown), no names.
                    text = f"Answer {n + 1} to case c{i:05d}: give **oxygen**, then an X-ray."
                    out = {"case_id": f"c{i:05d}", "model": model, "sample": 0, "text": text}
                    fh.write(json.dumps(out) + "\n")
        import_cases(db, settings, SLUG, cases)
        import_outputs(db, SLUG, outputs)
        if cheap_hash:
            from argon2 import PasswordHasher

            users.hasher = PasswordHasher(time_cost=1, memory_cost=1024)
        for name in clinicians:
            users.add_user(db, name, "clinician", password=PASSWORD, languages=["en"])
    finally:
        db.dispose()


def _settings(dep: Deployment, port: int) -> Settings:
    from medeval_ui.config import Settings

    return Settings(
        database_url=dep.url,
        media_dir=str(dep.media_dir),
        secret_key_file=str(dep.secret_key_file),
        port=port or 7860,
        load_demo=False,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServerProcess:
    """One app instance: ``python -m medeval_ui serve`` on its own port."""

    dep: Deployment
    port: int = field(default_factory=free_port)
    name: str = "app"
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0  # how many times it was started (a restart after a crash is the 2nd)
    up: bool = False  # answering: set by wait_ready, cleared by kill and stop

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.dep.folder / f"{self.name}.log"

    def start(self) -> None:
        env = {
            **os.environ,
            "MEDEVAL_DATABASE_URL": self.dep.url,
            "MEDEVAL_HOST": "127.0.0.1",
            "MEDEVAL_PORT": str(self.port),
            "MEDEVAL_SECRET_KEY_FILE": str(self.dep.secret_key_file),
            "MEDEVAL_MEDIA_DIR": str(self.dep.media_dir),
            "MEDEVAL_LOAD_DEMO": "false",
            "GRADIO_ANALYTICS_ENABLED": "False",
            "HF_HUB_OFFLINE": "1",
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("MEDEVAL_PUBLIC_ORIGIN", None)
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "medeval_ui", "serve", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.starts += 1

    def wait_ready(self, timeout_s: float = 90.0) -> float:
        """Seconds until /healthz answers; RuntimeError if the process died or timed out."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout_s:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}: {self.tail()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    self.up = True
                    return time.monotonic() - t0
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer within {timeout_s:.0f} s: {self.tail()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash or an OOM kill."""
        self.up = False
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM (uvicorn's graceful shutdown), SIGKILL after 15 s."""
        self.up = False
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def cpu_s(self) -> float:
        """CPU seconds (user + system) the running process has used so far (Linux)."""
        if self.proc is None or self.proc.poll() is not None:
            return 0.0
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def tail(self, n: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""
