/* The go-live checklist in the browser: each step checked as it is typed with the
 * server's rules (static/js/setup-rules.js), live counters, photo previews on a canvas,
 * the category filter, drafts kept across a reload, and the worker's progress without
 * reloads. Without JavaScript the page works as plain forms. */
(function () {
  "use strict";

  var R = window.setupRules, M = R.messages, chars = R.chars, squeeze = R.squeeze;
  var width = R.width, han = R.han, photoProblem = R.photoProblem, missingDocuments = R.missingDocuments;
  var root = document.getElementById("setup");
  if (!root) return;
  var dirty = {};
  function forget(id) { try { sessionStorage.removeItem("setup:" + root.dataset.key + ":" + id); } catch (err) { /* private mode */ } }

  /* ---- Messages beside the inputs ---- */
  function say(id, text) {
    var el = document.getElementById(id + "-error"), input = document.getElementById(id);
    if (el) { el.textContent = text || ""; el.hidden = !text; }
    if (input) {
      input.setAttribute("aria-invalid", text ? "true" : "false");
      var field = input.closest(".field, fieldset");
      if (field) field.classList.toggle("has-error", !!text);
    }
  }
  var TEXT = { nickname: R.nickname, signature: R.introduction, feedback_info: R.feedback, wechat_ids: R.testers };
  function counter(input) {
    var el = document.getElementById(input.id + "-counter");
    if (!el) return;
    el.hidden = false;
    var v = squeeze(input.value);
    if (input.id === "nickname") {
      el.textContent = "长度 " + width(v) + "/30（一个汉字算 2）";
      el.classList.toggle("over", width(v) > 30);
    } else {
      el.textContent = chars(v).length + "/120 字，其中汉字 " + han(v) + " 个（至少 4 个）";
      el.classList.toggle("over", chars(v).length > 120);
    }
  }

  /* ---- Photos: checked by their first bytes, then previewed on a canvas ---- */
  function headerSize(b) {
    if (b[0] === 0x89 && b[1] === 0x50) return [((b[16] << 24) >>> 0) + (b[17] << 16) + (b[18] << 8) + b[19], ((b[20] << 24) >>> 0) + (b[21] << 16) + (b[22] << 8) + b[23]];
    if (b[0] === 0x47 && b[1] === 0x49) return [b[6] + (b[7] << 8), b[8] + (b[9] << 8)];
    return [0, 0];
  }
  function draw(input, image) {
    var field = input.closest(".field"), canvas = field.querySelector("canvas"), note = field.querySelector(".preview-note");
    var w = image.naturalWidth, h = image.naturalHeight, ctx = canvas.getContext("2d");
    if (input.dataset.photo === "avatar") {
      var side = Math.min(w, h);
      canvas.width = canvas.height = 240;
      ctx.drawImage(image, (w - side) / 2, (h - side) / 2, side, side, 0, 0, 240, 240);
    } else {
      canvas.width = 320; canvas.height = Math.max(1, Math.round(320 * h / w));
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    }
    canvas.hidden = note.hidden = false;
  }
  function checkPhoto(input) {
    var file = input.files && input.files[0], field = input.closest(".field");
    var canvas = field.querySelector("canvas"), note = field.querySelector(".preview-note");
    canvas.hidden = note.hidden = true;
    input.dataset.problem = "";
    var shownName = field.querySelector(".picker-name");
    if (shownName) shownName.textContent = file ? "已选择：" + file.name : "未选择照片";
    note.textContent = note.dataset.text || (note.dataset.text = note.textContent);
    if (!file) { say(input.id, ""); return; }
    function refuse(text) {
      if (input.files[0] !== file) return;  /* another photo was chosen meanwhile */
      input.dataset.problem = text || "";
      say(input.id, text);
    }
    var reader = new FileReader();
    reader.onload = function () {
      var head = Array.from(new Uint8Array(reader.result)), dims = headerSize(head);
      var avatar = input.dataset.photo === "avatar", problem = photoProblem(file.size, head, dims[0], dims[1], avatar);
      refuse(problem);
      if (problem) return;
      var full = new FileReader();
      full.onload = function () {
        var image = new Image();
        image.onload = function () {
          refuse(photoProblem(file.size, head, image.naturalWidth, image.naturalHeight, avatar));
          if (!input.dataset.problem && input.files[0] === file) draw(input, image);
        };
        image.onerror = function () { note.hidden = false; note.textContent = "无法预览这张照片，保存时平台会再检查。"; };
        image.src = full.result;  /* a data: URL, which the page's policy allows */
      };
      full.readAsDataURL(file);
    };
    reader.readAsArrayBuffer(file.slice(0, 32));
  }

  /* ---- The category picker ---- */
  function picked(form) { return form.querySelector("input[name=category]:checked"); }
  /* One qualification group's fields, as templates/merchant/setup_category.html draws them
   * (from its <template>): a select of the alternatives when there are several, one photo. */
  function docField(n, group, count, have) {
    var box = document.createElement("div");
    box.innerHTML = document.getElementById("document-template").innerHTML.split("__N__").join(String(n));
    var div = box.firstElementChild, place = count > 1 ? "第 " + (n + 1) + " 项：" : "";
    var stored = group.filter(function (name) { return have.indexOf(name) >= 0; })[0];
    var kind = div.querySelector(".kind"), photo = div.querySelector("[data-photo-field]");
    if (group.length > 1) {
      kind.querySelector("label").textContent = place + "这张照片是哪种证件（任选一种）";
      group.forEach(function (name) {
        var option = document.createElement("option");
        option.value = option.textContent = name;
        option.selected = name === stored;
        kind.querySelector("select").append(option);
      });
    } else kind.remove();
    photo.querySelector("label").textContent = place + group.join(" 或 ");
    if (stored) photo.querySelector(".have").textContent = "✓ 已上传“" + stored + "”（无需更换可不再选择）";
    else {
      photo.querySelector(".have").remove();
      photo.querySelector(".picker-name").textContent = "未选择照片";
    }
    photo.querySelector(".picker").classList.add("enhanced");
    return div;
  }
  function showDocuments(form) {
    var radio = picked(form), box = document.getElementById("documents");
    var have = JSON.parse(box.dataset.have || "[]"), groups = radio ? JSON.parse(radio.dataset.groups || "[]") : [];
    document.getElementById("category-chosen").innerHTML = "";
    var chosen = document.getElementById("category-chosen");
    if (radio) { chosen.append("已选："); var b = document.createElement("strong"); b.textContent = radio.dataset.name; chosen.append(b); }
    else chosen.textContent = "还没有选择类目";
    box.innerHTML = "";
    say("category", ""); say("documents", "");
    if (!groups.length) return;
    var p = document.createElement("p"), name = radio.dataset.name.split(" › ").pop();
    p.className = "documents-title";
    p.textContent = groups.length > 1 ? "“" + name + "”需要 " + groups.length + " 项资质，每项上传一张照片："
      : "“" + name + "”需要资质照片（列出几种证件的，任选一种上传）：";
    box.append(p);
    groups.forEach(function (group, n) { box.append(docField(n, group, groups.length, have)); });
  }
  function filter(form, text) {
    var words = text.toLowerCase().split(/\s+/).filter(Boolean), any = false;
    form.querySelectorAll("[data-group]").forEach(function (group) {
      var seen = false;
      group.querySelectorAll("label.choice").forEach(function (label) {
        var hay = label.dataset.search.toLowerCase();
        var hit = words.every(function (w) { return hay.indexOf(w) >= 0; });
        label.hidden = !hit && !label.querySelector("input").checked;
        seen = seen || !label.hidden;
      });
      group.hidden = !seen;
      any = any || seen;
    });
    document.getElementById("category-empty").hidden = any;
  }
  function categoryProblem(form) {
    var radio = picked(form);
    if (!radio) return ["category", "请选择一个类目。"];
    var groups = JSON.parse(radio.dataset.groups || "[]"), have = JSON.parse(document.getElementById("documents").dataset.have || "[]");
    groups.forEach(function (group, n) {  /* a photo chosen counts for the document its select names */
      var i = document.getElementById("document-" + n), kind = document.getElementById("document-" + n + "-kind");
      if (i && i.files && i.files.length) have.push(kind ? kind.value : group[0]);
    });
    var missing = missingDocuments({ groups: groups, second_name: radio.dataset.name.split(" › ").pop() }, have);
    return missing ? ["documents", missing] : null;
  }

  /* ---- Wiring: each form checks as it is typed, and again before it is sent ---- */
  function wire(scope) {
    scope.querySelectorAll("form[data-setup-form]").forEach(function (form) {
      if (form.dataset.wired) return;
      form.dataset.wired = "1";
      var touched = {};
      form.addEventListener("input", function (e) {
        var t = e.target;
        dirty[form.dataset.setupForm] = true;
        if (TEXT[t.id]) {
          counter(t);
          if (touched[t.id]) say(t.id, TEXT[t.id](t.value).error);
          try { sessionStorage.setItem("setup:" + root.dataset.key + ":" + t.id, t.value); } catch (err) { /* private mode */ }
        }
        if (t.id === "category-filter") filter(form, t.value);
      });
      form.addEventListener("focusout", function (e) {
        if (!TEXT[e.target.id]) return;
        touched[e.target.id] = true;
        say(e.target.id, TEXT[e.target.id](e.target.value).error);
      });
      form.addEventListener("change", function (e) {
        dirty[form.dataset.setupForm] = true;
        if (e.target.dataset.photo) checkPhoto(e.target);
        if (e.target.name === "category") showDocuments(form);
      });
      form.addEventListener("submit", function (e) {
        var first = null;
        form.querySelectorAll("input, textarea").forEach(function (el) {
          var problem = TEXT[el.id] ? TEXT[el.id](el.value).error : el.dataset.problem;
          var none = el.dataset.photo && !(el.files && el.files.length);
          if (none && el.dataset.photo === "avatar") problem = M.choose;
          if (none && el.id === "licence" && !el.closest(".field").querySelector(".have")) problem = M.licence;
          if (TEXT[el.id] || el.dataset.photo) say(el.id, problem);
          touched[el.id] = true;
          if (problem && !first) first = el;
        });
        if (form.dataset.setupForm === "category") {
          var c = categoryProblem(form);
          if (c) { say(c[0], c[1]); first = first || form.querySelector("#category-filter, input[name=category]"); }
        }
        if (first) { e.preventDefault(); first.focus(); return; }
        form.querySelectorAll("input, textarea").forEach(function (el) { if (TEXT[el.id]) forget(el.id); });
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; b.textContent = "正在保存…"; });
      });
      form.querySelectorAll("textarea, input").forEach(function (el) {
        if (!TEXT[el.id]) return;
        var key = "setup:" + root.dataset.key + ":" + el.id, draft = null;
        try { draft = sessionStorage.getItem(key); } catch (err) { /* private mode */ }
        if (el.value !== el.defaultValue) draft = el.value;  /* typed before the script ran */
        if (draft !== null && draft !== el.value) el.value = draft;
        if (draft !== null && draft !== el.defaultValue) {
          dirty[form.dataset.setupForm] = true;
          try { sessionStorage.setItem(key, draft); } catch (err) { /* private mode */ }
        } else if (draft !== null) forget(el.id);
        counter(el);
      });
      var f = form.querySelector("[data-filter]");
      if (f) f.hidden = false;
      form.querySelectorAll(".picker").forEach(function (p) { p.classList.add("enhanced"); });
    });
  }
  wire(document);

  /* A saved step's message moves into its card, which opens (the page jumps there). */
  var target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.matches("[data-step]")) {
    target.querySelector("details").open = true;
    var body = target.querySelector(".step-body");
    document.querySelectorAll("[data-flash]").forEach(function (n) { body.insertBefore(n, body.firstChild); });
  }

  /* ---- Progress without reloads: poll a small JSON, swap in the cards that changed.
   * A card with unsaved typing is never replaced; errors and 503 back off. ---- */
  var POLL_MS = 3000, MAX_QUIET_MS = 30000, MAX_BACKOFF_MS = 60000, delay = POLL_MS, timer = null;
  function backOff(r) {
    var after = Number(r && r.headers.get("Retry-After")) * 1000;
    delay = Math.min(Math.max(delay * 2, after || 0), MAX_BACKOFF_MS);
  }
  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html"), fresh = doc.getElementById("setup");
    if (!fresh) return;
    fresh.querySelectorAll("[data-step]").forEach(function (card) {
      var now = document.getElementById(card.id);
      if (!now || now.dataset.version === card.dataset.version || dirty[card.dataset.step]) return;
      var wasOpen = now.querySelector("details").open;
      now.replaceWith(card);
      if (wasOpen) card.querySelector("details").open = true;
      wire(card);
    });
    fresh.querySelectorAll("[data-live-part]").forEach(function (part) {
      var now = document.getElementById(part.id);
      if (now) now.innerHTML = part.innerHTML;
    });
    root.dataset.version = fresh.dataset.version;
    root.dataset.live = fresh.dataset.live;
  }
  function schedule(ms) { clearTimeout(timer); timer = document.hidden ? null : setTimeout(poll, ms); }
  function poll() {
    if (root.dataset.live !== "true") return;
    fetch(root.dataset.poll, { cache: "no-cache" })
      .then(function (r) { if (!r.ok) { backOff(r); return null; } return r.json(); })
      .then(function (data) {
        if (!data) return null;
        if (data.version === root.dataset.version) { delay = Math.min(delay * 1.5, MAX_QUIET_MS); return null; }
        delay = POLL_MS;
        return fetch(root.dataset.page, { headers: { Accept: "text/html" }, cache: "no-store" })
          .then(function (r) { if (!r.ok) { backOff(r); return null; } return r.text(); })
          .then(function (html) { if (html) swap(html); });
      })
      .catch(function () { backOff(null); })
      .then(function () { schedule(delay); });
  }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { delay = POLL_MS; schedule(0); } });
  schedule(POLL_MS);
  root.dataset.ready = "true";
})();
