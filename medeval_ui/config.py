"""One Settings object, read from ``MEDEVAL_*`` environment variables.

Every setting is declared once, with its default and a sentence of help; the README's
settings table is checked against this list by a test. Unsafe values are refused here,
before anything starts.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from medeval_ui.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DB_DIR = PROJECT_ROOT / "db"


@dataclass(frozen=True)
class Settings:
    database_url: str = ""  # empty: filled in __post_init__
    media_dir: str = ""
    secret_key_file: str = ""
    host: str = "127.0.0.1"
    port: int = 7860
    public_origin: str = ""
    session_max_age_s: int = 8 * 3600
    sqlite_synchronous: str = "NORMAL"
    busy_timeout_ms: int = 5000
    max_image_mb: int = 50
    max_image_megapixels: int = 50
    max_upload_mb: int = 200
    load_demo: bool = True
    # What the lead page's Generate tab may use (the CLI, run from a shell, is not limited):
    # model folders inside this one, and servers whose URL starts with one of these.
    models_dir: str = ""
    generation_endpoints: str = ""

    def __post_init__(self) -> None:
        # Frozen dataclass: defaults that depend on the project root are set here.
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{DB_DIR / 'medeval.sqlite3'}")
        if not self.media_dir:
            object.__setattr__(self, "media_dir", str(DB_DIR / "media"))
        if not self.secret_key_file:
            object.__setattr__(self, "secret_key_file", str(DB_DIR / "secret_key"))
        if not self.models_dir:
            object.__setattr__(self, "models_dir", str(PROJECT_ROOT / "models"))
        if not self.public_origin:
            object.__setattr__(self, "public_origin", f"http://{self.host}:{self.port}")
        self._check()

    def _check(self) -> None:
        if self.sqlite_synchronous.upper() not in {"NORMAL", "FULL", "EXTRA"}:
            raise ConfigError(
                "MEDEVAL_SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA "
                f"(OFF can lose acknowledged ratings), got {self.sqlite_synchronous!r}"
            )
        if self.public_origin.strip() == "*" or "*" in self.public_origin:
            raise ConfigError("MEDEVAL_PUBLIC_ORIGIN must be one exact origin, not a wildcard")
        if not self.public_origin.startswith(("http://", "https://")):
            raise ConfigError(
                f"MEDEVAL_PUBLIC_ORIGIN must start with http:// or https://, "
                f"got {self.public_origin!r}"
            )
        for name in (
            "port",
            "session_max_age_s",
            "busy_timeout_ms",
            "max_image_mb",
            "max_image_megapixels",
            "max_upload_mb",
        ):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{SETTING_ENV[name]} must be a positive number")
        if not self.database_url.startswith(("sqlite", "postgresql")):
            raise ConfigError(
                "MEDEVAL_DATABASE_URL must be a sqlite:/// or postgresql+psycopg:// URL, "
                f"got {self.database_url.split(':', 1)[0]!r}"
            )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def allowed_endpoints(self) -> list[str]:
        """The server URLs the Generate tab may call, without their trailing slashes."""
        return [u.strip().rstrip("/") for u in self.generation_endpoints.split(",") if u.strip()]

    @property
    def max_image_bytes(self) -> int:
        return self.max_image_mb * 1024 * 1024

    @property
    def max_image_pixels(self) -> int:
        return self.max_image_megapixels * 1_000_000

    def secret_key(self) -> str:
        """The session-signing key: from the file, created with a random value on first use.

        Two instances starting together on one shared ``db/`` must end up with the same key
        and neither may read a half-written file: the key is written to a private temporary
        file and then hard-linked into place, which fails, atomically, if the other won.
        """
        path = Path(self.secret_key_file)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            key = secrets.token_urlsafe(48)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key-")  # mode 0600
            try:
                with os.fdopen(fd, "w") as fh:
                    fh.write(key)
                os.link(tmp, path)
            except FileExistsError:
                pass  # another instance was first: use its key
            except OSError:  # a file system without hard links: exclusive create instead
                with contextlib.suppress(FileExistsError):
                    excl = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(excl, "w") as fh:
                        fh.write(key)
            finally:
                os.unlink(tmp)
        key = path.read_text().strip()
        if len(key) < 32:
            raise ConfigError(f"{path}: the secret key is shorter than 32 characters")
        return key

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from the environment; keyword overrides (CLI flags) win."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            var = SETTING_ENV[f.name]
            if f.name in overrides and overrides[f.name] is not None:
                values[f.name] = overrides[f.name]
            elif var in env and env[var] != "":
                values[f.name] = _parse(var, env[var], type(f.default))
        return cls(**values)


def _parse(var: str, raw: str, kind: type) -> Any:
    if kind is bool:
        low = raw.strip().lower()
        if low in {"1", "true", "yes", "on"}:
            return True
        if low in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"{var} must be true or false, got {raw!r}")
    if kind is int:
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{var} must be a whole number, got {raw!r}") from None
    return raw


# Environment variable and help text per setting: the single source for the README table.
SETTING_ENV: dict[str, str] = {
    "database_url": "MEDEVAL_DATABASE_URL",
    "media_dir": "MEDEVAL_MEDIA_DIR",
    "secret_key_file": "MEDEVAL_SECRET_KEY_FILE",
    "host": "MEDEVAL_HOST",
    "port": "MEDEVAL_PORT",
    "public_origin": "MEDEVAL_PUBLIC_ORIGIN",
    "session_max_age_s": "MEDEVAL_SESSION_MAX_AGE_S",
    "sqlite_synchronous": "MEDEVAL_SQLITE_SYNCHRONOUS",
    "busy_timeout_ms": "MEDEVAL_BUSY_TIMEOUT_MS",
    "max_image_mb": "MEDEVAL_MAX_IMAGE_MB",
    "max_image_megapixels": "MEDEVAL_MAX_IMAGE_MEGAPIXELS",
    "max_upload_mb": "MEDEVAL_MAX_UPLOAD_MB",
    "load_demo": "MEDEVAL_LOAD_DEMO",
    "models_dir": "MEDEVAL_MODELS_DIR",
    "generation_endpoints": "MEDEVAL_GENERATION_ENDPOINTS",
}

SETTING_HELP: dict[str, str] = {
    "database_url": "Database. Default: SQLite file db/medeval.sqlite3. "
    "PostgreSQL: postgresql+psycopg://user:pass@host/dbname",
    "media_dir": "Folder for imported images (content-addressed). Default: db/media",
    "secret_key_file": "File holding the key that signs session cookies; created with a "
    "random key on first start. Default: db/secret_key",
    "host": "Address the web server listens on",
    "port": "Port the web server listens on",
    "public_origin": "The one origin browsers use to reach the app (CORS and cookies). "
    "Default: http://HOST:PORT",
    "session_max_age_s": "Seconds a login stays valid",
    "sqlite_synchronous": "SQLite synchronous mode: NORMAL (WAL keeps every commit across a "
    "process crash) or FULL (also across power loss, slower)",
    "busy_timeout_ms": "How long a SQLite writer waits for the write lock",
    "max_image_mb": "Largest image file accepted on import, in MB",
    "max_image_megapixels": "Largest decoded image accepted, in megapixels",
    "max_upload_mb": "Largest file accepted by a web upload, in MB",
    "load_demo": "Load the bundled demo study when the database is empty",
    "models_dir": "The only folder whose model folders the Generate tab may load. Default: models/",
    "generation_endpoints": "Comma-separated server URLs (OpenAI-compatible) the Generate "
    "tab may call; empty: none",
}
