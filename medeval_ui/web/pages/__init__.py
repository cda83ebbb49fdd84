"""One module per Gradio page. Handlers are thin: check the user, call one service."""
