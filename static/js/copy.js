/* Copy buttons for the consoles: <button data-copy-from="#id" hidden>复制</button> copies
 * the value of an input (or the text of any element) it points at. The button is hidden
 * in the HTML and shown only here, where the script runs. Where the clipboard API is
 * missing or refused (WeChat's in-app browser, a page served over plain HTTP), the text
 * is selected instead and the person is told to long-press and copy it. */
(function () {
  "use strict";

  /* The note goes after the button, or under the row when the button sits in one. */
  function say(button, text) {
    var anchor = button.parentElement.classList.contains("copy-row") ? button.parentElement : button;
    var note = anchor.nextElementSibling;
    if (!note || !note.hasAttribute("data-copy-note")) {
      note = document.createElement(anchor === button ? "span" : "p");
      note.className = "copy-note";
      note.setAttribute("data-copy-note", "");
      note.setAttribute("role", "status");
      anchor.insertAdjacentElement("afterend", note);
    }
    note.textContent = text;
  }

  function select(source) {
    if (source.select) {
      source.focus();
      source.select();
      if (source.setSelectionRange) source.setSelectionRange(0, source.value.length);
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(source);
    var chosen = window.getSelection();
    chosen.removeAllRanges();
    chosen.addRange(range);
  }

  function fallback(button, source) {
    select(source);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    say(button, copied ? "已复制。" : "已选中，请长按选中的文字，再点“复制”。");
  }

  function copy(button) {
    var source = document.querySelector(button.getAttribute("data-copy-from"));
    if (!source) return;
    var text = source.value !== undefined ? source.value : source.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { say(button, "已复制。"); },
        function () { fallback(button, source); }
      );
    } else {
      fallback(button, source);
    }
  }

  document.querySelectorAll("[data-copy-from]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      copy(button);
    });
  });
})();
