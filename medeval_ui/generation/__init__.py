"""Producing outputs: local transformers models (text and vision) and OpenAI-compatible
servers (DESIGN.md section 1).

Nothing here touches the database: services hand over ``GenerationTask``s and store the
``Completion``s that come back. torch and transformers are imported only inside the
functions that use them, so importing this package (or the CLI) costs nothing.
"""
