"""Keyboard shortcuts of the annotation page: a small script put in the page's <head>.

It only clicks and focuses elements the page already has (found by their ``elem_id``),
so every event still goes through the same server-side checks as a mouse click. Native
Tab, Shift+Tab, arrow keys and Space keep working: the script ignores keys it does not
own, and digits typed into a text or number box stay text.
"""

from __future__ import annotations

SHORTCUTS_JS = r"""
(() => {
  if (window.__medevalShortcuts) return;
  window.__medevalShortcuts = true;
  const CHOICES = 'input[type="radio"], input[type="checkbox"]';
  const BOXES = "textarea, input";
  const shown = (el) => el.offsetParent !== null || el.getClientRects().length > 0;
  const questions = () =>
    [...document.querySelectorAll('[id^="q-"]')].filter((q) => shown(q));
  const choices = (q) => [...q.querySelectorAll(CHOICES)];
  const answered = (q) => {
    const inputs = choices(q);
    if (inputs.length) return inputs.some((i) => i.checked);
    const box = q.querySelector("textarea, input");
    return !!box && box.value.trim() !== "";
  };
  const typing = (el) =>
    !!el &&
    (el.tagName === "TEXTAREA" ||
      el.isContentEditable ||
      (el.tagName === "INPUT" && !["radio", "checkbox", "button"].includes(el.type)));
  const nextOpen = () =>
    questions().find((q) => !answered(q) && q.classList.contains("q-required")) ||
    questions().find((q) => !answered(q));
  const focusQuestion = (q) => {
    if (!q) return false;
    const target = choices(q).find((i) => i.checked) || q.querySelector(CHOICES) ||
      q.querySelector("textarea, input");
    if (!target) return false;
    target.focus();
    q.scrollIntoView({ block: "center", behavior: "smooth" });
    return true;
  };
  const focusBox = (id) => {
    const root = document.getElementById(id);
    const box = root && (root.matches(BOXES) ? root : root.querySelector(BOXES));
    if (!box) return false;
    box.focus();
    box.scrollIntoView({ block: "center", behavior: "smooth" });
    return true;
  };
  // The response the focus is in ("q-2-harm" -> 2), else the first one.
  const responseOf = (el) => (el?.closest('[id^="q-"]')?.id || "q-1").split("-")[1];
  const click = (id) => {
    const root = document.getElementById(id);
    const button = root && (root.tagName === "BUTTON" ? root : root.querySelector("button"));
    if (!button || button.disabled) return false;
    button.click();
    return true;
  };
  document.addEventListener(
    "keydown",
    (event) => {
      const active = document.activeElement;
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        // Let the pending state of the text box reach the page before submitting.
        if (active && typing(active)) active.dispatchEvent(new Event("change", { bubbles: true }));
        if (click("submit-btn")) event.preventDefault();
        return;
      }
      if (event.altKey && !event.ctrlKey && !event.metaKey) {
        const done = {
          KeyS: () => focusBox("skip-reason"),
          KeyF: () => focusBox("flag-note"),
          KeyN: () => focusQuestion(nextOpen()),
          KeyC: () => focusBox(`comment-${responseOf(active)}`),
        }[event.code];
        if (done && done()) event.preventDefault();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || !/^[1-9]$/.test(event.key)) return;
      if (typing(active)) return;
      // The question the focus is in; else the next unanswered one, without moving the
      // focus there, so pressing digits in a row answers the questions in order.
      let question = active && active.closest('[id^="q-"]');
      const focused = !!question && choices(question).length > 0;
      if (!focused) question = questions().find((q) => choices(q).length && !answered(q));
      if (!question) return;
      const input = choices(question)[Number(event.key) - 1];
      if (!input) return;
      event.preventDefault();
      input.click();
      if (focused) input.focus();
      else input.scrollIntoView({ block: "nearest" });
    },
    true,
  );
})();
"""

# Our own static styles (the CSP allows inline styles): messages under questions stand out,
# and what a clinician types takes the direction of its own script (Arabic right to left,
# English left to right), whatever the case's language.
PAGE_CSS = """
.q-error { color: #b42318; font-weight: 600; }
#annotate-view textarea { unicode-bidi: plaintext; text-align: start; }
"""

# What the /app page puts in its <head> (``mount_gradio_app(head=...)``).
SHORTCUTS_HEAD = f"<style>{PAGE_CSS}</style><script>{SHORTCUTS_JS}</script>"

SHORTCUTS_HELP = """\
**Keyboard.** `Tab` / `Shift+Tab` move between questions, arrow keys between options.
`1`–`9` choose that option of the question you are on (or of the next unanswered one).
`Alt+N` go to the next unanswered question · `Alt+C` comment box ·
`Ctrl+Enter` (`⌘+Enter`) submit · `Alt+S` skip (type a reason, `Enter`) ·
`Alt+F` flag for the lead (type a note, `Enter`).
"""
