"""Per-output seeds: each (case, sample) gets its own random stream.

The seed depends only on the run's ``--seed``, the case's external id and the sample
index, never on which other cases share a batch or on how many were already generated,
so a resumed run or another batch size draws the same tokens for the same output.
External ids (not database ids) make the seed the same in another instance that
imported the same cases.
"""

from __future__ import annotations

import hashlib

MAX_SEED = 2**31 - 1  # what every OpenAI-compatible server accepts as "seed"


def sample_seed(seed: int, external_id: str, sample: int) -> int:
    digest = hashlib.sha256(f"{seed}\x1f{external_id}\x1f{sample}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % MAX_SEED
