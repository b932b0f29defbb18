/* The go-live input rules in the browser: the same rules and messages as
 * portal/golive/rules.py, which stays authoritative (e2e/test_setup_pages.py checks the
 * two agree, as e2e/test_validation_parity.py does for validation.js). static/js/setup.js
 * uses them; window.setupRules is what the page and the parity test call. */
(function () {
  "use strict";

  var SPACES = /[ \t\r\n\u3000\u00a0]+/g;
  var NAME_CHARS = /^[\u4e00-\u9fa5A-Za-z0-9 ·&+\-（）()]$/u;
  var INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;  // dropped, as portal.normalize does
  var KEPT_WIDE = "，！？：；（）～";  // Chinese text's full-width punctuation stays
  var FOLDED = /[\uff01-\uff5e]/g;  // every other full-width form becomes its ASCII twin
  var NAME_DOTS = /[•・‧∙⋅]/g;
  var EMOJI = /[\u{10000}-\u{10FFFF}\ufe0f\u20e3\u200d]|(?=\p{So})[\u2600-\u27bf\u2b00-\u2bff]/u;
  var NAME_RESERVED = ["微信", "腾讯"];
  var INTRO_BANNED = ["最好", "最佳", "第一", "顶级", "国家级", "全网最低", "100%", "微信官方"];
  var WECHAT_ID = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;
  var TESTER_SEPARATORS = /[ \t\r\n\u3000\u00a0,，、;；]+/;
  var EDGE = /^[ \t\r\n\u3000\u00a0\u200b\ufeff]+|[ \t\r\n\u3000\u00a0\u200b\ufeff]+$/g;
  var UPLOAD_MAX = 10 * 1024 * 1024, MAX_PIXELS = 50000000, AVATAR_MIN = 100;
  var SIGNATURES = [[0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    [0x47, 0x49, 0x46, 0x38, 0x37, 0x61], [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], [0x42, 0x4d]];
  var M = {
    notPhoto: "这不是照片文件：请选择 JPG、PNG、GIF、BMP 或 WEBP 格式的照片。",
    tooBig: "照片超过 10 MB，请换一张，或用手机截图后上传截图。",
    pixels: "照片像素太多（超过 5000 万像素），请换一张，或用手机截图后上传截图。",
    small: "照片太小（至少 100×100 像素），做头像会看不清，请换一张。",
    choose: "请选择一张照片。",
    licence: "请上传营业执照照片：企业的小程序设置名称需要营业执照（微信的规定）。"
  };
  function chars(s) { return Array.from(s); }
  function squeeze(raw) { return (typeof raw === "string" ? raw : "").replace(SPACES, " ").replace(/^ +| +$/g, ""); }
  function fold(c) { return KEPT_WIDE.indexOf(c) >= 0 ? c : String.fromCharCode(c.charCodeAt(0) - 0xfee0); }
  function normalized(raw) { return squeeze((typeof raw === "string" ? raw : "").replace(FOLDED, fold)); }
  function hidden(s) { return /\p{C}/u.test(s); }
  function width(s) { return chars(s).reduce(function (n, c) { return n + (c >= "\u4e00" && c <= "\u9fa5" ? 2 : 1); }, 0); }
  function han(s) { return chars(s).filter(function (c) { return c >= "\u4e00" && c <= "\u9fff"; }).length; }
  function shown(c) { return /[\p{Z}\p{C}]/u.test(c) ? "不可见的字符" : "“" + c + "”"; }
  function found(list, s) { return list.filter(function (w) { return s.indexOf(w) >= 0; })[0]; }
  function out(value, error) { return { value: value, error: error || null }; }

  function nickname(raw) {
    var name = normalized(raw).replace(NAME_DOTS, "·"), word, bad, w = width(name);
    if (!name) return out(name, "请填写小程序名称。");
    if (hidden(name)) return out(name, "名称里有不可见的控制字符，请删掉后重新输入。");
    if (name.indexOf("小程序") >= 0) return out(name, "名称里不能有“小程序”三个字（微信的规定），例如“某某小店”即可。");
    if ((word = found(NAME_RESERVED, name))) return out(name, "名称里不能有“" + word + "”，这是微信保留的词。");
    bad = chars(name).filter(function (c) { return !NAME_CHARS.test(c); })[0];
    if (bad !== undefined) return out(name, "名称里不能有" + shown(bad) + "：只能用汉字、英文字母、数字、空格和 · & + - ( )。");
    if (w < 4 || w > 30) return out(name, "名称为 4–30 个字符（一个汉字算 2 个），现在是 " + w + " 个。");
    return out(name);
  }
  function introduction(raw) {
    var text = normalized(raw), word;
    if (!text) return out(text, "请填写简介。");
    if (hidden(text) || EMOJI.test(text)) return out(text, "简介里不能有表情符号或不可见的控制字符，请删掉后重新输入。");
    if (text.length < 4 || text.length > 120) return out(text, "简介为 4–120 个字，现在是 " + text.length + " 个字。");
    if (han(text) < 4) return out(text, "简介至少要有 4 个汉字，现在只有 " + han(text) + " 个。");
    if ((word = found(INTRO_BANNED, text + "\n" + text.normalize("NFKC")))) return out(text, "简介里不能有“" + word + "”：广告法不允许这类绝对化用语，微信会拒绝。");
    return out(text);
  }
  function feedback(raw) {
    var text = squeeze(raw), n = chars(text).length;
    if (hidden(text)) return out(text, "说明里有不可见的控制字符，请删掉后重新输入。");
    if (n > 200) return out(text, "说明最多 200 个字，现在是 " + n + " 个字。");
    return out(text);
  }
  function testers(raw) {
    var ids = [];
    (typeof raw === "string" ? raw : "").split(TESTER_SEPARATORS).forEach(function (part) {
      var id = part.replace(INVISIBLE, "").normalize("NFKC").replace(EDGE, "");
      if (part && ids.indexOf(id) < 0) ids.push(id);
    });
    if (!ids.length) return { value: ids, error: "请填写体验者的微信号。" };
    if (ids.length > 10) return { value: ids, error: "一次最多添加 10 个体验者，现在是 " + ids.length + " 个。" };
    for (var i = 0; i < ids.length; i++) {
      if (WECHAT_ID.test(ids[i])) continue;
      if (hidden(ids[i])) return { value: ids, error: "微信号里有不可见的控制字符，请删掉后重新输入。" };
      var c = chars(ids[i]), hint = /^1[3-9][0-9]{9}$/.test(ids[i]) ? "这是手机号，" : "";
      return { value: ids, error: "“" + (c.length <= 20 ? ids[i] : c.slice(0, 20).join("") + "…") + "”不是微信号：" + hint +
        "微信号以字母开头，6–20 位，只含字母、数字、下划线和减号（对方在 微信 → 我 里可以看到）。" };
    }
    return { value: ids, error: null };
  }
  function photoProblem(size, head, w, h, avatar) {
    head = head || [];
    if (size <= 0) return M.choose;
    if (size > UPLOAD_MAX) return M.tooBig;
    var webp = String.fromCharCode.apply(null, head.slice(0, 4)) === "RIFF" && String.fromCharCode.apply(null, head.slice(8, 12)) === "WEBP";
    var known = SIGNATURES.some(function (sig) { return sig.every(function (b, i) { return head[i] === b; }); });
    if (!webp && !known) return M.notPhoto;
    if ((w || 0) * (h || 0) > MAX_PIXELS) return M.pixels;
    if (avatar && Math.min(w || 0, h || 0) > 0 && Math.min(w, h) < AVATAR_MIN) return M.small;
    return null;
  }
  /* A choice's qualification groups (portal/golive/category_rules.py document_groups):
   * every group is needed, a group's documents are alternatives; a choice stored with
   * only a flat "qualifications" list is one group. */
  function names(list) {
    return Array.isArray(list) ? list.filter(function (n, i, all) { return typeof n === "string" && n && all.indexOf(n) === i; }) : [];
  }
  function documentGroups(choice) {
    if (!choice) return [];
    if (Array.isArray(choice.groups)) return choice.groups.map(names).filter(function (g) { return g.length; });
    var flat = names(choice.qualifications);
    return flat.length ? [flat] : [];
  }
  function either(group) { return group.map(function (n) { return "“" + n + "”"; }).join("或"); }
  function findChoice(choices, raw) {
    if (!choices || !choices.length) return { choice: null, error: "可选类目还没有获取到，请稍候刷新本页。" };
    if (typeof raw !== "string" || !raw) return { choice: null, error: "请选择一个类目。" };
    var hit = choices.filter(function (c) { return raw === c.first + ":" + c.second; })[0];
    return hit ? { choice: hit, error: null } : { choice: null, error: "请从列表中选择类目。" };
  }
  function missingDocuments(choice, have) {
    var groups = documentGroups(choice), asks = [], name = choice.second_name || "";
    groups.forEach(function (group, i) {
      if (!group.some(function (n) { return have.indexOf(n) >= 0; })) asks.push("请上传" + either(group) + "的照片（第 " + (i + 1) + " 项资质）");
    });
    if (!asks.length) return null;
    if (groups.length === 1) return "“" + name + "”需要资质照片：请上传" + either(groups[0]) + "的照片。";
    return "“" + name + "”需要 " + groups.length + " 项资质，每项一张照片：" + asks.join("；") + "。";
  }
  window.setupRules = { nickname: nickname, introduction: introduction, feedback: feedback, testers: testers,
    photoProblem: photoProblem, findChoice: findChoice, missingDocuments: missingDocuments, documentGroups: documentGroups,
    messages: M, squeeze: squeeze, width: width, han: han, chars: chars };
})();
