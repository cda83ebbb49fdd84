"""Keep Gradio and the Hugging Face hub from calling out (DESIGN.md invariant 6: offline).

Gradio reads these variables when it is first imported, so every web module imports this
module before ``import gradio``. They are forced, not defaulted: offline is not a setting.
"""

from __future__ import annotations

import os

OFFLINE_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
}

os.environ.update(OFFLINE_ENV)
