"""The web layer: FastAPI (login, sessions, headers) and the Gradio pages mounted under it.

Importing anything from this package first makes the process offline (see offline.py).
"""

from medeval_ui.web import offline as _offline  # noqa: F401
