"""The login page: plain server-rendered HTML, no script, every value escaped."""

from __future__ import annotations

from html import escape

PRODUCT = "medeval"
TAGLINE = "Sign in to review and rate answers from medical language models."

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Sign in · {product}</title>
<style>
  body {{ font-family: system-ui, sans-serif; background: #f6f7f9; color: #1f2937;
         margin: 0; display: flex; min-height: 100vh; align-items: center;
         justify-content: center; }}
  main {{ background: #fff; padding: 2rem 2.5rem; border-radius: 10px; width: 20rem;
         box-shadow: 0 1px 4px rgba(0, 0, 0, .12); }}
  h1 {{ margin: 0 0 .25rem; font-size: 1.6rem; }}
  p {{ margin: 0 0 1.25rem; color: #4b5563; }}
  label {{ display: block; margin: .75rem 0 .25rem; font-weight: 600; }}
  input {{ width: 100%; box-sizing: border-box; padding: .55rem; font-size: 1rem;
          border: 1px solid #9ca3af; border-radius: 6px; }}
  button {{ margin-top: 1.25rem; width: 100%; padding: .6rem; font-size: 1rem;
           border: 0; border-radius: 6px; background: #2563eb; color: #fff; cursor: pointer; }}
  .error {{ background: #fef2f2; color: #991b1b; border: 1px solid #fecaca;
           padding: .5rem .75rem; border-radius: 6px; }}
</style>
</head>
<body>
<main>
<h1>{product}</h1>
<p>{tagline}</p>
{error}
<form method="post" action="/login">
<label for="username">Username</label>
<input id="username" name="username" value="{username}" autocomplete="username"
       autocapitalize="none" spellcheck="false" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
"""


def render_login(error: str = "", username: str = "") -> str:
    """The page; ``error`` must never say whether the username exists."""
    error_html = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return _PAGE.format(
        product=escape(PRODUCT),
        tagline=escape(TAGLINE),
        error=error_html,
        username=escape(username[:64], quote=True),
    )
