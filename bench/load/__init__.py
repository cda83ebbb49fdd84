"""Load, scale-out and crash checks that speak the browser's protocol over HTTP.

``run.py`` is the command (see README.md in this folder); ``protocol`` is Gradio's queue and
server-sent-event protocol as a browser tab speaks it, ``clients`` the simulated clinicians,
``servers`` the database, the study and the app processes, ``check`` the verdict in SQL.
The tests ``tests/test_scale_out.py`` and ``tests/test_crash.py`` drive the same code.
"""
