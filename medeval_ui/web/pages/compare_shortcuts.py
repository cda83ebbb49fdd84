"""Keyboard shortcuts of the compare page (/compare): a small script for the page's <head>.

Like the annotate page's script (``shortcuts``), it only clicks and focuses elements the
page already shows (found by their ``elem_id``), so every vote goes through the same
server-side checks as a mouse click, and a hidden button (the reveal before a vote) is
never pressed. Letters typed into a text box stay text: ``Esc`` leaves the box.
"""

from __future__ import annotations

from medeval_ui.web.pages.shortcuts import PAGE_CSS

COMPARE_JS = r"""
(() => {
  if (window.__medevalCompareShortcuts) return;
  window.__medevalCompareShortcuts = true;
  const CHOICES = 'input[type="radio"]';
  const BOXES = "textarea, input";
  const VOTES = { a: "vote-a", b: "vote-b", t: "vote-tie", x: "vote-both-bad" };
  const shown = (el) => !!el && (el.offsetParent !== null || el.getClientRects().length > 0);
  const typing = (el) =>
    !!el &&
    (el.tagName === "TEXTAREA" ||
      el.isContentEditable ||
      (el.tagName === "INPUT" && !["radio", "checkbox", "button"].includes(el.type)));
  const button = (id) => {
    const root = document.getElementById(id);
    const b = root && (root.tagName === "BUTTON" ? root : root.querySelector("button"));
    return b && shown(b) && !b.disabled ? b : null;
  };
  const click = (id) => {
    const b = button(id);
    if (b) b.click();
    return !!b;
  };
  const focusBox = (id) => {
    const root = document.getElementById(id);
    const box = root && (root.matches(BOXES) ? root : root.querySelector(BOXES));
    if (!box || !shown(box)) return false;
    box.focus();
    box.scrollIntoView({ block: "center", behavior: "smooth" });
    return true;
  };
  const axes = () => [...document.querySelectorAll('[id^="axis-"]')].filter(shown);
  const answered = (q) => [...q.querySelectorAll(CHOICES)].some((i) => i.checked);
  document.addEventListener(
    "keydown",
    (event) => {
      const active = document.activeElement;
      if (event.altKey && !event.ctrlKey && !event.metaKey) {
        const done = {
          KeyS: () => focusBox("skip-reason"),
          KeyR: () => focusBox("vote-reason"),
        }[event.code];
        if (done && done()) event.preventDefault();
        return;
      }
      if (event.ctrlKey || event.metaKey) return;
      if (typing(active)) {
        if (event.key === "Escape") active.blur();
        return;
      }
      const key = event.key.toLowerCase();
      if (key in VOTES) {
        if (click(VOTES[key])) event.preventDefault();
        return;
      }
      if (key === "n") {
        if (click("next-pair-btn")) event.preventDefault();
        return;
      }
      if (key === "r") {
        if (click("reveal-btn")) event.preventDefault();
        return;
      }
      if (!/^[1-9]$/.test(event.key)) return;
      // An axis question: the one the focus is in, else the next unanswered one.
      let question = active && active.closest('[id^="axis-"]');
      const focused = !!question;
      if (!focused) question = axes().find((q) => !answered(q));
      if (!question) return;
      const input = [...question.querySelectorAll(CHOICES)][Number(event.key) - 1];
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

COMPARE_CSS = """
#compare-view textarea { unicode-bidi: plaintext; text-align: start; }
"""

# What the /compare mount puts in its <head> (``mount_gradio_app(head=...)``). The styles
# of the annotate page come along (messages under questions, text boxes' direction).
COMPARE_HEAD = f"<style>{PAGE_CSS}{COMPARE_CSS}</style><script>{COMPARE_JS}</script>"

COMPARE_HELP = """\
**Keyboard.** `A` A is better · `B` B is better · `T` tie · `X` both bad ·
`1`–`9` answer the per-axis question you are on (or the next unanswered one) ·
`Alt+R` reason box · `Esc` leave a text box · `Alt+S` skip (type a reason, `Enter`) ·
after a vote: `R` show which models these were, `N` next pair.
"""
