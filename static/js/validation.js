/* Instant pre-flight checks: the same rules and messages as portal/validation.py.
 * The server stays authoritative; e2e/test_validation_parity.py checks both agree. */
(function () {
  "use strict";

  var USCI_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  var USCI_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  var ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
  var CODE_TYPES = { 1: "统一社会信用代码", 2: "组织机构代码", 3: "营业执照注册号" };
  var CODE_LENGTH_TEXT = { 1: "18 位", 2: "9 位（xxxxxxxx-x）", 3: "15 位数字" };
  var CJK = /[\u4e00-\u9fff]/;
  var CJK_ALL = /[\u4e00-\u9fff]/g;
  var WECHAT_ID = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;
  var MOBILE = /^(?:\+?86)?1[3-9][0-9]{9}$/;
  var LANDLINE = /^0[0-9]{2,3}-?[0-9]{7,8}(?:-[0-9]{1,6})?$/;
  var INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
  var SPACES = /[\s\u3000\u00a0]+/g;
  var DOTS = /[•．・‧∙⋅\uff65\u0387\u02d1\u2e31]/g;
  var LATIN_BEFORE = /[A-Za-z.']/, LATIN_AFTER = /[A-Za-z]/;
  /* Same sources as NAME_CHARS / PERSON_CHARS in portal/validation.py. */
  var HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\u{20000}-\\u{3134f}";
  var NAME_CHARS = new RegExp("^[" + HAN + "A-Za-z0-9（）·０-９Ａ-Ｚａ-ｚ\\u2160-\\u217f〇]$", "u");
  var NAME_MAX = 80;
  var PERSON_CHARS = new RegExp("^[" + HAN + "A-Za-z·.' -]$", "u");
  var PERSON_MAX = 50;
  var PERSON_DOT_MISPLACED = /^·|·$|··/;
  var HAN_GAP_STOP = new RegExp("(?<=[" + HAN + "])[.．](?=[" + HAN + "])", "gu");
  var HAN_CHAR = new RegExp("[" + HAN + "]", "u");
  var NAME_STOPS = /[.\-－]/g;
  var BRACKETS = "（）()【】[]<>《》";
  var ORG_FORMS = ["公司", "合作社", "联合社", "店", "厂", "中心", "事务所", "工作室", "部", "馆",
    "行", "社", "院", "所", "场", "坊", "铺", "堂", "站", "园", "室", "城", "庄", "处",
    "企业", "集团", "分行", "支行", "农场", "合伙", "商号", "经营部", "门市"];
  var PERSON_COMPANY_FORMS = ORG_FORMS.filter(function (f) { return f.length > 1; });
  var PERSON_COMPANY_WORDS = ["公司", "有限"];
  var PERSON_SHOP_ENDINGS = ORG_FORMS.filter(function (f) { return f.length === 1; });
  var NO_TRADE_NAME = /^(?:[*＊/／\-－—_]+|无|无字号|空|个体|个体户|个体工商户)$/;
  var TRAILING_NOTE = /（[^（）]*）$/;
  var TITLES = ["法人", "法定代表人", "法人代表", "负责人", "总经理", "经理", "董事长", "老板", "店主",
    "先生", "女士", "老师", "总裁"];
  var TITLES_ALONE = TITLES.concat(["本人", "老总", "业主", "经营者", "个体户"]);
  function endsWithAny(text, list) {
    return list.some(function (e) { return text.slice(-e.length) === e; });
  }
  /* Traditional to simplified as simplified() in portal/names.py: OpenCC's hk2s (opencc-js,
   * vendored in js/vendor/ and loaded before this file), KEEP and KEEP_IN_TRADITIONAL_NAME
   * as typed. Without it (it did not load) nothing is suggested here; the server checks. */
  var KEEP = /([於昇陞甦乾])/;
  var KEEP_IN_TRADITIONAL_NAME = /([於昇陞甦])/;
  var toSimplified = null;
  function converted(text, keep) {
    toSimplified = toSimplified || window.OpenCC.Converter({ from: "hk", to: "cn" });
    return text.split(keep).map(function (part, i) { return i % 2 ? part : toSimplified(part); }).join("");
  }
  function simplified(text, person) {
    if (!window.OpenCC) return text;
    var kept = converted(text, KEEP);
    return person || kept === text ? kept : converted(text, KEEP_IN_TRADITIONAL_NAME);
  }
  function traditionalWarning(value, person) {
    var suggestion = simplified(value, person);
    if (suggestion === value) return null;
    var what = person ? "姓名" : "名称";
    return what + "里有繁体字。营业执照上的" + what + "用简体字，应为“" + suggestion + "”：" +
      "请对照执照确认后改为简体（平台不会自动替您改）。";
  }
  function nameWarning(name) {
    var traditional = traditionalWarning(name, false);
    if (traditional) return traditional;
    if (name.indexOf("个体户") === 0) return null;
    var form = formWarning(name);
    if (form) return form;
    if (!endsWithAny(name.replace(TRAILING_NOTE, ""), ORG_FORMS)) {
      return "这看起来像品牌或简称：营业执照上的名称以“有限公司”“合作社”“店”“厂”“中心”“工作室”等组织形式结尾，请按执照上的全称填写。";
    }
    return numeralWarning(name) || cityWarning(name);
  }
  var WHERE_WECHAT_ID = "请让法定代表人打开 微信 → 我，复制头像旁“微信号”后面的内容。";

  /* Structure checks, as portal/usci.py, portal/names.py and portal/validation.py (the
   * sources are cited there): GB 32100-2015 §4 for the code's positions 1–8, GB/T 2260
   * for its division, 《企业名称登记管理规定》(2020) 第五、七、十、十三条 for the name. */
  var AUTHORITIES = {
    "1": ["机构编制", { "1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他" }],
    "2": ["外交", { "1": "外国常驻新闻机构", "9": "其他" }],
    "3": ["司法行政", { "1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构", "5": "仲裁委员会", "9": "其他" }],
    "4": ["文化", { "1": "外国在华文化中心", "9": "其他" }],
    "5": ["民政", { "1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他" }],
    "6": ["旅游", { "1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他" }],
    "7": ["宗教", { "1": "宗教活动场所", "2": "宗教院校", "9": "其他" }],
    "8": ["工会", { "1": "基层工会", "9": "其他" }],
    "9": ["市场监管（工商）", { "1": "企业", "2": "个体工商户", "3": "农民专业合作社" }],
    "A": ["中央军委改革和编制办公室", { "1": "军队事业单位", "9": "其他" }],
    "N": ["农业", { "1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他" }],
    "Y": ["其他", { "1": "其他" }]
  };
  var NATIONAL = "100000";
  /* GB/T 2260 (static/data/gbt2260.json, built by scripts/gbt2260.py from
   * portal/data/gbt2260.tsv), loaded without blocking the form: until it arrives the
   * division and city checks are skipped here (the server still makes them). */
  var divisions = null;
  var dataUrl = document.currentScript ? new URL("../data/gbt2260.json", document.currentScript.src) : null;
  var ready = !dataUrl || !window.fetch ? Promise.resolve() : fetch(dataUrl)
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) return;
      var codes = new Set();
      for (var i = 0; i < data.codes.length; i += 6) codes.add(data.codes.slice(i, i + 6));
      divisions = { codes: codes, cities: data.cities };
    })
    .catch(function () { /* offline: the server checks */ });
  function provinceKnown(d) { return d.slice(0, 2) === "10" || divisions.codes.has(d.slice(0, 2) + "0000"); }
  function usciProblems(code) {
    var authority = code[0], kind = code[1], division = code.slice(2, 8);
    if (!AUTHORITIES[authority]) {
      return { error: "第 1 位“" + authority + "”不是登记管理部门代码（只有 1–9、A、N、Y，企业和个体工商户是 9）" };
    }
    if (!/^\d{6}$/.test(division)) {
      var letters = Array.from(new Set(division.replace(/\d/g, ""))).sort().join("、");
      return { error: "第 3–8 位是登记机关的行政区划代码，只有数字，这里有字母 " + letters };
    }
    if (divisions && !provinceKnown(division)) {
      return { error: "第 3–8 位“" + division + "”不是行政区划代码（前两位应为省份代码，如广东 44）" };
    }
    var name = AUTHORITIES[authority][0], kinds = AUTHORITIES[authority][1];
    if (!kinds[kind]) {
      var listed = Object.keys(kinds).map(function (k) { return k + " " + kinds[k]; }).join("、");
      return { question: "第 2 位“" + kind + "”不是" + name + "部门登记的机构类别（第 1 位是 " + authority +
        "，第 2 位应为 " + listed + "）" };
    }
    if (divisions && division !== NATIONAL && !divisions.codes.has(division)) {
      return { question: "第 3–8 位“" + division + "”不在现行和历年的行政区划代码里" };
    }
    return {};
  }
  var LEGAL_FORMS = /股份有限公司|有限责任公司|有限公司|股份合作公司|合伙企业|个人独资企业/g;
  var BRANCH_FORMS = ["分公司", "分店", "分厂", "分行", "支行", "分理处", "营业部", "营业所", "营业厅",
    "办事处", "经营部", "门市部", "服务部", "分部", "分所", "分社", "分院", "分中心",
    "分场", "加油站", "项目部", "工程处", "门店", "超市", "店", "厂", "部", "处",
    "站", "所", "中心", "馆", "厅", "场", "行", "社", "院"];
  var LOOKALIKES = { "ロ": "口", "エ": "工", "カ": "力", "タ": "夕", "ニ": "二", "ハ": "八", "ト": "卜",
    "ヒ": "匕", "メ": "乂", "ム": "厶", "ー": "一", "ㄧ": "一", "—": "一", "―": "一",
    "ㄇ": "冂", "ㄈ": "匚", "ㄎ": "丂" };
  var HAN_NUMERALS = "〇零一二三四五六七八九十百千万";
  var NUMERAL_RUN = new RegExp("[" + HAN_NUMERALS + "0-9Oo]+", "g");
  var ROMAN_OR_WIDE = /[\u2160-\u217f]|[０-９Ａ-Ｚａ-ｚ]/;
  var LATIN = /[A-Za-z]/;
  var NOT_A_PERSON = [[/^gh_[0-9a-f]{12}$/i, "是公众号的原始 ID（gh_ 开头）"],
    [/^wx[0-9a-f]{16}$/i, "看起来是小程序或公众号的 AppID（wx 加 16 位）"]];
  function legalForms(text) { return Array.from(text.matchAll(LEGAL_FORMS)); }
  function formWarning(name) {
    var bare = name.replace(TRAILING_NOTE, ""), forms = legalForms(bare);
    if (forms.length > 1) {
      return "名称里有两处组织形式（“" + forms[0][0] + "”和“" + forms[forms.length - 1][0] + "”），" +
        "营业执照上只有一处，在名称最后：请按执照核对。";
    }
    var rest = forms.length ? bare.slice(forms[0].index + forms[0][0].length) : "";
    if (rest && !endsWithAny(rest, BRANCH_FORMS)) {
      return "“" + forms[0][0] + "”后面还有“" + rest + "”：组织形式在名称最后，其后只能是" +
        "“分公司”“分店”“营业部”等分支机构名称。请按营业执照核对。";
    }
    return null;
  }
  function repeatedForm(name) {
    var forms = legalForms(name);
    for (var i = 1; i < forms.length; i++) {
      if (forms[i - 1].index + forms[i - 1][0].length === forms[i].index) {
        return "名称里“" + forms[i][0] + "”重复了，请删去一个，按营业执照逐字填写。";
      }
    }
    return null;
  }
  function numeralWarning(name) {
    var match = ROMAN_OR_WIDE.exec(name);
    if (match) {
      var kind = match[0] >= "\uff00" ? "全角字符" : "罗马数字符号";
      return "名称里的“" + match[0] + "”是" + kind + "：营业执照上的数字和字母是半角的，或写作汉字" +
        "（如“二”），请对照执照核对。";
    }
    var runs = name.match(NUMERAL_RUN) || [];
    for (var i = 0; i < runs.length; i++) {
      if (new RegExp("[" + HAN_NUMERALS + "]").test(runs[i]) && /[0-9Oo]/.test(runs[i])) {
        return "“" + runs[i] + "”里汉字数字和字母 O 或阿拉伯数字混在一起：汉字的零写作“〇”，请对照营业执照核对。";
      }
    }
    var digit = /[0-9]/.exec(name);
    if (digit) {
      return "名称里有阿拉伯数字“" + digit[0] + "”：企业名称用规范汉字，数字一般写作汉字。" +
        "请对照营业执照核对；执照上就是阿拉伯数字可继续提交。";
    }
    return null;
  }
  function cityWarning(name) {
    if (!divisions) return null;
    for (var i = 0; i < divisions.cities.length; i++) {
      var stem = divisions.cities[i][0], others = divisions.cities[i][1];
      if (name.indexOf(stem) === 0 && name.indexOf(stem + "市") !== 0 &&
          !others.some(function (o) { return name.indexOf(o) === 0; })) {
        return "名称开头的“" + stem + "”是地级市：多数企业名称写作“" + stem + "市”开头，也有不带“市”的。" +
          "请与营业执照核对，一字不差；执照上就是“" + stem + "”开头可继续提交。";
      }
    }
    return null;
  }
  /* Paste artefacts and look-alikes, as portal/normalize.py. */
  var HAN_LOOKALIKES = /[\u2f00-\u2fdf\uf900-\ufaff]/g;
  var CODE_PASTE = /[\t\n\v\f\r \u00a0\u00ad\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff。，、；：,.;:!?！？"'`“”‘’「」『』〝〞()\[\]{}（）［］【】〔〕<>《》〈〉]/g;
  var CODE_DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;
  var LABELS = ["统一社会信用代码", "社会信用代码", "信用代码", "营业执照注册号", "营业执照号码",
    "营业执照编号", "营业执照号", "营业执照", "执照注册号", "执照号码", "执照编号", "执照号",
    "注册号码", "注册号", "组织机构代码证", "组织机构代码", "企业代码", "代码"]
    .sort(function (a, b) { return b.length - a.length; }).join("|");
  var CODE_LABEL = new RegExp("^(?:" + LABELS + ")(?:/(?:" + LABELS + "))*");
  var PHONE_PASTE = /[\t\n\v\f\r \u00a0\u00ad\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff()]/g;
  var MOBILE_NUMBER = /^(?:\+86|0086|86)?(1[3-9][0-9]{9})$/;
  function han(v) { return v.replace(HAN_LOOKALIKES, function (c) { return c.normalize("NFKC"); }); }

  function companyName(v) {
    v = (v || "").replace(INVISIBLE, "").replace(SPACES, "").replace(DOTS, "·");
    return han(v.replace(HAN_GAP_STOP, "·")).replace(/\(/g, "（").replace(/\)/g, "）");
  }
  function companyCode(v) {
    v = (v || "").normalize("NFKC").toUpperCase().replace(CODE_PASTE, "").replace(CODE_LABEL, "");
    var compact = v.replace(CODE_DASHES, "").replace(/-/g, "");
    return compact.length === 9 ? compact.slice(0, 8) + "-" + compact[8] : compact;
  }
  var EDGE_SPACES = /^[ \t\r\n\v\f\u1680\u2028\u2029]+|[ \t\r\n\v\f\u1680\u2028\u2029]+$/g;
  function wechatId(v) { return (v || "").replace(INVISIBLE, "").normalize("NFKC").replace(EDGE_SPACES, ""); }
  function latinGap(space, start, text) {
    var end = start + space.length;
    return start > 0 && end < text.length && LATIN_BEFORE.test(text[start - 1]) &&
      LATIN_AFTER.test(text[end]) ? " " : "";
  }
  function personName(v) {
    v = han((v || "").replace(INVISIBLE, "").replace(SPACES, latinGap).replace(DOTS, "·"));
    return HAN_CHAR.test(v) ? v.replace(NAME_STOPS, "·") : v;
  }
  function contactPhone(v) {
    v = (v || "").normalize("NFKC").replace(PHONE_PASTE, "");
    var found = MOBILE_NUMBER.exec(v.replace(/-/g, ""));
    return found ? found[1] : v;
  }

  function usciCheckChar(body) {
    var total = 0;
    for (var i = 0; i < 17; i++) total += USCI_CHARS.indexOf(body[i]) * USCI_WEIGHTS[i];
    return USCI_CHARS[(31 - (total % 31)) % 31];
  }
  function orgCheckChar(body) {
    var total = 0;
    for (var i = 0; i < 8; i++) total += parseInt(body[i], 36) * ORG_WEIGHTS[i];
    var check = 11 - (total % 11);
    return check === 10 ? "X" : check === 11 ? "0" : String(check);
  }
  function regCheckDigit(body) {
    var product = 10;
    for (var i = 0; i < 14; i++) {
      var total = (product + Number(body[i])) % 10 || 10;
      product = (total * 2) % 11;
    }
    return String((11 - product) % 10);
  }
  function looksLike(code) {
    var c = code.replace(/-/g, "");
    if (c.length === 18 && /^[A-Za-z0-9]+$/.test(c)) return 1;
    if (c.length === 9 && /^[A-Za-z0-9]+$/.test(c)) return 2;
    if (c.length === 15 && /^\d+$/.test(c)) return 3;
    return null;
  }

  function strayProblem(compact) {
    var c = chars(compact).filter(function (ch) { return !/^[0-9A-Za-z]$/.test(ch); })[0];
    if (c === undefined) return null;
    if (/^\p{N}$/u.test(c)) return "企业代码里的“" + c + "”不是数字 0–9：请用半角数字 0–9 和大写英文字母逐位填写。";
    return "企业代码只有数字 0–9 和大写英文字母，不会有" + shown(c) + "：请只填代码本身，对照营业执照逐位填写。";
  }

  function codeProblem(code, type, selectable) {
    var compact = code.replace(/-/g, "");
    var stray = strayProblem(compact);
    if (stray) return { error: stray };
    var shape = looksLike(code);
    if (shape !== type) {
      if (!selectable) {
        var seen = shape ? "，您填写的看起来是" + CODE_TYPES[shape] : "，您填写了 " + compact.length + " 位";
        return { error: "请填写营业执照上的 18 位统一社会信用代码" + seen + "。此方式不支持旧版注册号或组织机构代码。" };
      }
      if (shape !== null) {
        return { error: "这个代码看起来是" + CODE_TYPES[shape] + "（" + CODE_LENGTH_TEXT[shape] + "），" +
          "请把企业代码类型改为“" + CODE_TYPES[shape] + "”，或核对代码。" };
      }
      return { error: CODE_TYPES[type] + "应为 " + CODE_LENGTH_TEXT[type] + "，" +
        "您填写了 " + compact.length + " 位，请对照营业执照核对。" };
    }
    if (type === 1) {
      var bad = [];
      for (var i = 0; i < compact.length; i++) {
        if (USCI_CHARS.indexOf(compact[i]) < 0 && bad.indexOf(compact[i]) < 0) bad.push(compact[i]);
      }
      if (bad.length) {
        return { error: "统一社会信用代码不使用字母 " + bad.sort().join("、") + "（不用 I、O、Z、S、V），" +
          "请核对是否把数字 0、1、2、5 抄成了字母。" };
      }
      var structure = usciProblems(compact);
      if (usciCheckChar(compact) !== compact[17]) {
        var also = structure.error || structure.question ? "，而且" + (structure.error || structure.question) : "";
        return { error: "统一社会信用代码的校验位不对" + also + "：可能有字符抄错（如 0 和 O、1 和 I、8 和 B），请逐位核对。" };
      }
      if (structure.error) return { error: "统一社会信用代码的" + structure.error + "，请对照营业执照逐位核对。" };
      if (structure.question) {
        return { warning: "统一社会信用代码的" + structure.question + "，请对照营业执照核对；确认无误可继续提交。" };
      }
    }
    if (type === 2 && orgCheckChar(compact) !== compact[8]) {
      return { error: "组织机构代码的校验位不对，可能有字符抄错，请逐位核对。" };
    }
    if (type === 3 && regCheckDigit(compact) !== compact[14]) {
      return { warning: "注册号的校验位与常见规则不符，请再核对一遍；确认无误可继续提交。" };
    }
    return {};
  }

  function wechatProblem(v) {
    if (WECHAT_ID.test(v)) return null;
    if (/\s/.test(v)) return "微信号里不会有空格：空格处是下划线 _、减号 - 还是什么都没有？请对照法定代表人的微信号重新填写。" + WHERE_WECHAT_ID;
    if (MOBILE.test(v)) return "这是手机号，不是微信号。" + WHERE_WECHAT_ID;
    if (/^\d{5,11}$/.test(v)) return "这看起来是 QQ 号，不是微信号。" + WHERE_WECHAT_ID;
    if (v.indexOf("@") >= 0) return "这是邮箱，不是微信号。" + WHERE_WECHAT_ID;
    if (CJK.test(v)) return "微信号不含中文，这可能是微信昵称。" + WHERE_WECHAT_ID;
    if (v && !/^\p{L}/u.test(v)) return "微信号以字母开头。" + WHERE_WECHAT_ID;
    if (v.length < 6 || v.length > 20) return "微信号为 6–20 位，您填写了 " + v.length + " 位。" + WHERE_WECHAT_ID;
    return "微信号只含字母、数字、下划线和减号。" + WHERE_WECHAT_ID;
  }

  var ALL_FIELDS = ["name", "code_type", "code", "legal_persona_name", "legal_persona_wechat"];
  function chars(text) { return Array.from(text); }
  function stray(text, allowed) {
    return chars(text).filter(function (c) { return !allowed.test(c); })[0];
  }
  function shown(c) {
    return /^[\p{C}\p{Z}]$/u.test(c) ? "不可见的控制字符" : "“" + c + "”";
  }
  function nameProblem(name, person) {
    if (!name) return "请填写企业名称，与营业执照上的名称一字不差。";
    if (NO_TRADE_NAME.test(name)) {
      return "无字号的个体工商户（执照上名称为“*”“无”或空白）：微信要求企业名称填写“个体户”" +
        "加法定代表人姓名，" + (person ? "即“个体户" + person + "”" : "如“个体户张三”") + "。";
    }
    var n = chars(name).length;
    if (n > NAME_MAX) return "企业名称最长 " + NAME_MAX + " 个字，您填写了 " + n + " 个字。请按营业执照逐字填写企业名称。";
    var c = stray(name, NAME_CHARS);
    if (c !== undefined && LOOKALIKES[c]) {
      return "企业名称里的“" + c + "”不是汉字，看起来像汉字“" + LOOKALIKES[c] + "”：请改为“" + LOOKALIKES[c] + "”，按营业执照逐字填写。";
    }
    if (c !== undefined) return "企业名称里不会有" + shown(c) + "，请按营业执照逐字填写（括号用中文全角（））。";
    var repeated = repeatedForm(name);
    if (repeated) return repeated;
    if ((name.match(CJK_ALL) || []).length < 2) return "请填写营业执照上的中文企业名称。";
    return null;
  }

  /* The legal person's name's error or warning, if any, into errors/warnings (check_person). */
  function checkPerson(person, errors, warnings) {
    var odd = stray(person, PERSON_CHARS);
    if (!person) errors.legal_persona_name = "请填写法定代表人的姓名。";
    else if (chars(person).length > PERSON_MAX) errors.legal_persona_name = "姓名最长 " + PERSON_MAX + " 个字，您填写了 " + chars(person).length + " 个字。请只填法定代表人的姓名。";
    else if (/\d/.test(person)) errors.legal_persona_name = "姓名里不应有数字，请按营业执照上的法定代表人姓名填写。";
    else if (chars(person).length >= 4 && (PERSON_COMPANY_WORDS.some(function (w) { return person.indexOf(w) >= 0; }) ||
        endsWithAny(person.replace(TRAILING_NOTE, ""), PERSON_COMPANY_FORMS))) errors.legal_persona_name = "这像是企业名称，请填写法定代表人本人的姓名。";
    else if (TITLES_ALONE.indexOf(person) >= 0) errors.legal_persona_name = "“" + person + "”是称呼，不是姓名：请填写法定代表人本人的姓名（与身份证一致），如“张三”。";
    else if (endsWithAny(person, TITLES)) errors.legal_persona_name = "请只填姓名，不要加“法人”“经理”“老板”等称呼。";
    else if (odd !== undefined && BRACKETS.indexOf(odd) >= 0) errors.legal_persona_name = "姓名里不应有括号或备注，请只填法定代表人的姓名。";
    else if (odd !== undefined) errors.legal_persona_name = "姓名里不会有" + shown(odd) + "，请按营业执照上的法定代表人姓名填写。";
    else if (PERSON_DOT_MISPLACED.test(person)) errors.legal_persona_name = "“·”只用在姓名的两部分之间（如“买买提·吐尔逊”），不会在开头、结尾或连着两个：请按身份证核对。";
    else if (!CJK.test(person)) warnings.legal_persona_name = "如为外籍法定代表人，请按其微信支付绑定银行卡上的姓名填写。";
    else if (LATIN.test(person)) {
      warnings.legal_persona_name = "姓名里夹有英文字母“" + LATIN.exec(person)[0] + "”：中国公民的姓名只用汉字（少数民族姓名用“·”" +
        "分隔），请按身份证核对；外籍法定代表人请全部按证件上的拼写填写。";
    }
    else if (chars(person).length < 2) errors.legal_persona_name = "姓名至少两个字，请填写法定代表人的完整姓名。";
    else if (person.slice(-1) === "总" && chars(person).length <= 3) warnings.legal_persona_name = "“总”像是称呼：请填写营业执照上的法定代表人全名。";
    else if (traditionalWarning(person, true)) warnings.legal_persona_name = traditionalWarning(person, true);
    else if (chars(person).length >= 4 && person.indexOf("·") < 0 && endsWithAny(person, PERSON_SHOP_ENDINGS)) {
      warnings.legal_persona_name = "姓名以“" + chars(person).slice(-1)[0] + "”结尾，也可能是店名：请确认填的是法定代表人本人的姓名" +
        "（与身份证一致）；是本人姓名可继续提交。";
    }
  }

  var NORMALIZERS = { name: companyName, code: companyCode, legal_persona_name: personName,
    legal_persona_wechat: wechatId };

  /* Check raw input for a form with these fields; returns {values, errors, warnings,
   * changes} like validation.validate. */
  function validate(raw, fields) {
    fields = fields || ALL_FIELDS;
    var r = {};
    ALL_FIELDS.concat(["contact_phone"])
      .forEach(function (k) { r[k] = raw[k] == null ? "" : String(raw[k]); });
    var selectable = fields.indexOf("code_type") >= 0;
    var type = ["1", "2", "3"].indexOf(r.code_type) >= 0 ? Number(r.code_type) : 0;
    var values = {};
    Object.keys(NORMALIZERS).forEach(function (k) {
      if (fields.indexOf(k) >= 0) values[k] = NORMALIZERS[k](r[k]);
    });
    values.code_type = selectable ? type : 1;
    values.contact_phone = contactPhone(r.contact_phone);
    var errors = {}, warnings = {}, changes = {};
    Object.keys(NORMALIZERS).forEach(function (k) {
      if (k in values && r[k].trim() && values[k] !== r[k]) changes[k] = [r[k], values[k]];
    });
    var personErrors = {}, personWarnings = {};
    if ("legal_persona_name" in values) checkPerson(values.legal_persona_name, personErrors, personWarnings);
    var knownPerson = personErrors.legal_persona_name ? "" : values.legal_persona_name || "";
    var name = values.name;
    var nameError = nameProblem(name, knownPerson);
    var nameWarn = nameError ? null : nameWarning(name);
    if (nameError) errors.name = nameError;
    else if (nameWarn) warnings.name = nameWarn;
    else if (name.indexOf("个体户") === 0 && values.legal_persona_name) {
      var expected = "个体户" + values.legal_persona_name;
      if (name !== expected) warnings.name = "无字号的个体工商户，名称应为“个体户”加法人姓名，即“" + expected + "”。";
    }
    if (!values.code_type) errors.code_type = "请选择企业代码类型。";
    if (!values.code) errors.code = "请填写企业代码。";
    else if (values.code_type) {
      var p = codeProblem(values.code, values.code_type, selectable);
      if (p.error) errors.code = p.error;
      else if (p.warning) warnings.code = p.warning;
    }
    Object.assign(errors, personErrors);
    Object.assign(warnings, personWarnings);
    if ("legal_persona_wechat" in values) {
      var wechat = values.legal_persona_wechat;
      if (!wechat) errors.legal_persona_wechat = "请填写法定代表人的微信号。" + WHERE_WECHAT_ID;
      else {
        var w = wechatProblem(wechat);
        var notPerson = NOT_A_PERSON.filter(function (p) { return p[0].test(wechat); })[0];
        if (w) errors.legal_persona_wechat = w;
        else if (notPerson) {
          warnings.legal_persona_wechat = "“" + wechat + "”" + notPerson[1] + "，不是个人微信号。需要的是法定代表人本人的微信号：" + WHERE_WECHAT_ID;
        }
      }
    }
    var phone = values.contact_phone;
    if (phone && !(MOBILE.test(phone) || LANDLINE.test(phone))) {
      errors.contact_phone = "请填写手机号（11 位）或座机号（如 020-12345678），也可以不填。";
    }
    return { values: values, errors: errors, warnings: warnings, changes: changes };
  }

  window.fastRegisterValidate = validate;
  validate.ready = ready;  /* resolves once the division data is in (or failed) */
  window.fastRegisterSimplified = simplified;

  /* Wire the form: check a field when it loses focus (and, once shown, as it is typed). */
  var form = document.querySelector("form[data-validate]");
  if (!form) return;
  var formFields = (form.dataset.fields || ALL_FIELDS.join(" ")).split(" ");
  var touched = {};
  ready.then(function () { render(current(), true); });  /* the division checks, once loaded */

  function show(id, text) {
    var el = document.getElementById(id);
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
  }

  function render(result, only) {
    Object.keys(result.values).forEach(function (k) {
      if (only && !touched[k]) return;
      var input = form.elements[k];
      if (!input) return;
      var error = result.errors[k], warning = result.warnings[k], change = result.changes[k];
      input.setAttribute("aria-invalid", error ? "true" : "false");
      input.closest(".field").classList.toggle("has-error", !!error);
      show(k + "-error", error);
      show(k + "-warning", warning);
      show(k + "-change", change ? "将按“" + change[1] + "”提交" : "");
      offerSimplified(k, result.values[k], warning);
    });
  }

  /* The one-tap fix: a name typed in traditional characters becomes its simplified form
   * when the merchant taps the button under the warning (never without the tap). */
  function offerSimplified(k, value, warning) {
    var button = document.getElementById(k + "-fix");
    if (!button) return;
    var person = k === "legal_persona_name";
    var offered = !!warning && warning === traditionalWarning(value, person);
    button.hidden = !offered;
    button.textContent = offered ? "改为简体：" + simplified(value, person) : "";
    button.dataset.value = offered ? simplified(value, person) : "";
  }
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-fix]");
    if (!button || !button.dataset.value) return;
    var input = form.elements[button.dataset.fix];
    input.value = button.dataset.value;
    touched[button.dataset.fix] = true;
    render(current(), true);
  });

  function current() {
    var raw = {};
    ALL_FIELDS.concat(["contact_phone"])
      .forEach(function (k) { raw[k] = form.elements[k] ? form.elements[k].value : ""; });
    return validate(raw, formFields);
  }

  form.addEventListener("focusout", function (event) {
    if (!event.target.name) return;
    touched[event.target.name] = true;
    if (event.target.name === "code_type") touched.code = true;
    render(current(), true);
  });
  form.addEventListener("input", function (event) {
    if (touched[event.target.name]) render(current(), true);
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "code_type" && form.elements.code.value) {
      touched.code = true;
      render(current(), true);
    }
  });
  form.addEventListener("submit", function (event) {
    var result = current();
    Object.keys(result.values).forEach(function (k) { touched[k] = true; });
    render(result, false);
    var first = Object.keys(result.values).filter(function (k) { return result.errors[k]; })[0];
    if (first) {
      event.preventDefault();
      form.elements[first].focus();
    }
  });

  /* A page the server rendered with a traditional-name warning offers the fix too. */
  var initial = current();
  ["name", "legal_persona_name"].forEach(function (k) {
    var warning = document.getElementById(k + "-warning");
    if (warning && !warning.hidden) offerSimplified(k, initial.values[k] || "", initial.warnings[k]);
  });
})();
