"""The session-signing key file: created once, the same for every instance that shares it."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from medeval_ui.config import Settings
from medeval_ui.errors import ConfigError


def test_instances_starting_together_share_one_whole_key(tmp_path: Path) -> None:
    # Two app instances on one shared db/ folder used to race: one could crash on the
    # exclusive create, or read the file before the other had written its key.
    for attempt in range(20):
        settings = Settings(secret_key_file=str(tmp_path / f"k{attempt}" / "secret_key"))
        keys = _start_together(settings, 8)
        assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) >= 32
        folder = tmp_path / f"k{attempt}"
        assert [p.name for p in folder.iterdir()] == ["secret_key"]  # no temporary left
        assert stat.S_IMODE(os.stat(folder / "secret_key").st_mode) == 0o600
        assert Settings(secret_key_file=str(folder / "secret_key")).secret_key() == keys[0]


def _start_together(settings: Settings, n: int) -> list[str]:
    barrier, keys = threading.Barrier(n), []

    def start() -> None:
        barrier.wait()
        keys.append(settings.secret_key())

    threads = [threading.Thread(target=start) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return keys


def test_a_short_key_file_is_refused_by_name(tmp_path: Path) -> None:
    key = tmp_path / "secret_key"
    key.write_text("too short")
    with pytest.raises(ConfigError, match="secret_key: the secret key is shorter than 32"):
        Settings(secret_key_file=str(key)).secret_key()
