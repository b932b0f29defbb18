/* The status page without reloads: watch a small JSON for changes, then swap in the
 * fresh page body; tick the 24-hour countdown; copy the link. Without JavaScript the
 * page still works (it refreshes itself through a <noscript> meta refresh). */
(function () {
  "use strict";

  var body = document.getElementById("status-body");
  var POLL_MS = 1000;
  var MAX_BACKOFF_MS = 30000;

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function tick() {
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var left = Math.max(0, Number(el.dataset.deadline) * 1000 - Date.now());
      var s = Math.floor(left / 1000);
      el.textContent = left <= 0 ? "已到期"
        : Math.floor(s / 3600) + " 小时 " + pad(Math.floor(s % 3600 / 60)) + " 分";
    });
    /* A resubmit WeChat would refuse until then (89249): enable it once the time comes. */
    document.querySelectorAll("[data-enable-at]").forEach(function (button) {
      if (Number(button.dataset.enableAt) * 1000 > Date.now()) return;
      button.disabled = false;
      button.textContent = button.dataset.enabledText;
      button.removeAttribute("data-enable-at");
      var hint = document.getElementById("retry-hint");
      if (hint) hint.hidden = true;
    });
  }

  /* A refusal (503 under overload, with Retry-After) or an error: wait longer each time,
   * at least as long as the server asked, at most MAX_BACKOFF_MS. */
  function backOff(r) {
    var after = Number(r && r.headers.get("Retry-After")) * 1000;
    delay = Math.min(Math.max(delay * 2, after || 0), MAX_BACKOFF_MS);
  }

  function refresh() {
    return fetch(window.location.href, { headers: { Accept: "text/html" }, cache: "no-store" })
      .then(function (r) {
        if (!r.ok) { backOff(r); return null; }
        return r.text();
      })
      .then(function (html) {
        if (!html) return;
        delay = POLL_MS;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("status-body");
        if (!fresh) return;
        if (fresh.dataset.tone !== body.dataset.tone) {
          // A "submitted" banner no longer fits once the outcome is in.
          document.querySelectorAll("[data-flash]").forEach(function (n) { n.remove(); });
        }
        body.innerHTML = fresh.innerHTML;
        body.dataset.tone = fresh.dataset.tone;
        wireCopy(body);
        body.dataset.version = fresh.dataset.version;
        body.dataset.live = fresh.dataset.live;
        tick();
      });
  }

  /* Poll once a second while the page is visible: the browser revalidates with
   * If-None-Match, so an unchanged status costs a 304 of a few bytes. A hidden tab does
   * not poll (it checks at once when shown again); errors and 503 back off. */
  var timer = null;
  var delay = POLL_MS;

  function schedule(ms) {
    clearTimeout(timer);
    timer = document.hidden ? null : setTimeout(poll, ms);
  }

  function poll() {
    if (body.dataset.live !== "true") return;
    fetch(body.dataset.poll, { cache: "no-cache" })
      .then(function (r) {
        if (!r.ok) { backOff(r); return null; }
        return r.json();
      })
      .then(function (data) {
        if (!data) return;
        // Back to once a second only when the round is answered: a refresh refused
        // after every poll keeps backing off.
        if (data.version !== body.dataset.version) return refresh();
        delay = POLL_MS;
      })
      .catch(function () { backOff(null); })
      .then(function () { schedule(delay); });
  }

  document.addEventListener("visibilitychange", function () {
    if (body && !document.hidden) schedule(0);
  });

  if (body) {
    tick();
    setInterval(tick, 1000);
    schedule(POLL_MS);
  }

  /* Copy buttons (the page link, the AppID); shown only where the script runs. */
  function wireCopy(root) {
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var input = document.querySelector(button.dataset.copy);
        var box = button.closest(".card, .notice");
        var said = (box && box.querySelector("[data-copied]")) || document.querySelector("[data-copied]");
        function done(ok) {
          if (said) said.textContent = ok ? "已复制，可粘贴保存到备忘录或发给自己。" : "请长按手动复制。";
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () { done(false); });
        } else {
          input.select();
          try { done(document.execCommand("copy")); } catch (e) { done(false); }
        }
      });
    });
  }
  wireCopy(document);
})();
