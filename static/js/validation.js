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
  var MOBILE = /^(?:\+?86)?1[3-9]\d{9}$/;
  var LANDLINE = /^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$/;
  var SPACES = /[\s\u3000\u00a0\u200b\ufeff]+/g;
  var DOTS = /[•．・‧∙⋅\uff65]/g;
  /* Same sources as NAME_CHARS / PERSON_CHARS in portal/validation.py. */
  var HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\u{20000}-\\u{3134f}";
  var NAME_CHARS = new RegExp("^[" + HAN + "A-Za-z0-9（）·]$", "u");
  var NAME_MAX = 80;
  var PERSON_CHARS = new RegExp("^[" + HAN + "A-Za-z·.'-]$", "u");
  var PERSON_MAX = 50;
  var BRACKETS = "（）()【】[]<>《》";
  var ORG_FORMS = ["公司", "合作社", "联合社", "店", "厂", "中心", "事务所", "工作室", "部", "馆",
    "行", "社", "院", "所", "场", "坊", "铺", "堂", "站", "园", "室", "城", "庄", "处",
    "企业", "集团", "分行", "支行", "农场", "合伙", "商号", "经营部", "门市"];
  var TRAILING_NOTE = /（[^（）]*）$/;
  var TRADITIONAL = "國門東車長電貿業務開發廣華葉廳飯館歡樂網絡資訊實體會計專設傳藝術環醫藥養農產經營銷興達聯創濟購買賣貨運輸線龍鳳寶順萬億豐灣臺區縣鎮鄉莊與為廠場園號際裝飾紡織機氣燈鐵鋼銀錢寧陽雲陳劉張楊黃趙吳鄭馬孫韓馮鄧蕭學藍紅綠顏鮮魚雞麵湯鍋燒滷醬餅麥點廚衛潔護髮雜優質標準築倉儲輛鏈鎖書畫圖聲視頻遊戲夢愛總屬礦鹽漁貝親";
  var SIMPLIFIED = "国门东车长电贸业务开发广华叶厅饭馆欢乐网络资讯实体会计专设传艺术环医药养农产经营销兴达联创济购买卖货运输线龙凤宝顺万亿丰湾台区县镇乡庄与为厂场园号际装饰纺织机气灯铁钢银钱宁阳云陈刘张杨黄赵吴郑马孙韩冯邓萧学蓝红绿颜鲜鱼鸡面汤锅烧卤酱饼麦点厨卫洁护发杂优质标准筑仓储辆链锁书画图声视频游戏梦爱总属矿盐渔贝亲";
  var TITLES = ["法人", "法定代表人", "总经理", "经理", "董事长", "老板", "先生", "女士", "老师", "总裁"];
  function endsWithAny(text, list) {
    return list.some(function (e) { return text.slice(-e.length) === e; });
  }
  function simplified(text) {
    return Array.from(text).map(function (c) {
      var i = TRADITIONAL.indexOf(c);
      return i >= 0 ? SIMPLIFIED[i] : c;
    }).join("");
  }
  function nameWarning(name) {
    if (simplified(name) !== name) return "营业执照上的名称使用简体字，应为“" + simplified(name) + "”，请核对。";
    if (name.indexOf("个体户") === 0) return null;
    if (!endsWithAny(name.replace(TRAILING_NOTE, ""), ORG_FORMS)) {
      return "这看起来像品牌或简称：营业执照上的名称以“有限公司”“合作社”“店”“厂”“中心”“工作室”等组织形式结尾，请按执照上的全称填写。";
    }
    return null;
  }
  var WHERE_WECHAT_ID = "请让法定代表人打开 微信 → 我，复制头像旁“微信号”后面的内容。";

  function companyName(v) {
    return (v || "").replace(SPACES, "").replace(/\(/g, "（").replace(/\)/g, "）");
  }
  function companyCode(v) {
    v = (v || "").replace(SPACES, "").toUpperCase().replace(/[－—]/g, "-").normalize("NFKC");
    var compact = v.replace(/-/g, "");
    return compact.length === 9 ? compact.slice(0, 8) + "-" + compact[8] : compact;
  }
  var EDGE_SPACES = /^[ \t\r\n\u3000\u00a0\u200b\ufeff]+|[ \t\r\n\u3000\u00a0\u200b\ufeff]+$/g;
  function wechatId(v) { return (v || "").replace(EDGE_SPACES, "").normalize("NFKC"); }
  function personName(v) { return (v || "").replace(SPACES, "").replace(DOTS, "·"); }

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

  function codeProblem(code, type, selectable) {
    var compact = code.replace(/-/g, "");
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
      if (usciCheckChar(compact) !== compact[17]) {
        return { error: "统一社会信用代码的校验位不对，可能有字符抄错（如 0 和 O、1 和 I、8 和 B），请逐位核对。" };
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
  function nameProblem(name) {
    if (!name) return "请填写企业名称，与营业执照上的名称一字不差。";
    var n = chars(name).length;
    if (n > NAME_MAX) return "企业名称最长 " + NAME_MAX + " 个字，您填写了 " + n + " 个字。请按营业执照逐字填写企业名称。";
    var c = stray(name, NAME_CHARS);
    if (c !== undefined) return "企业名称里不会有" + shown(c) + "，请按营业执照逐字填写（括号用中文全角（））。";
    if ((name.match(CJK_ALL) || []).length < 2) return "请填写营业执照上的中文企业名称。";
    return null;
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
    values.contact_phone = r.contact_phone.replace(/[\s\u3000]/g, "");
    var errors = {}, warnings = {}, changes = {};
    Object.keys(NORMALIZERS).forEach(function (k) {
      if (k in values && r[k].trim() && values[k] !== r[k]) changes[k] = [r[k], values[k]];
    });
    var name = values.name;
    var nameError = nameProblem(name);
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
    if ("legal_persona_name" in values) {
      var person = values.legal_persona_name;
      var odd = stray(person, PERSON_CHARS);
      if (!person) errors.legal_persona_name = "请填写法定代表人的姓名。";
      else if (chars(person).length > PERSON_MAX) errors.legal_persona_name = "姓名最长 " + PERSON_MAX + " 个字，您填写了 " + chars(person).length + " 个字。请只填法定代表人的姓名。";
      else if (/\d/.test(person)) errors.legal_persona_name = "姓名里不应有数字，请按营业执照上的法定代表人姓名填写。";
      else if (chars(person).length >= 4 && (person.indexOf("公司") >= 0 || endsWithAny(person.replace(TRAILING_NOTE, ""), ORG_FORMS))) errors.legal_persona_name = "这像是企业名称，请填写法定代表人本人的姓名。";
      else if (endsWithAny(person, TITLES) && TITLES.indexOf(person) < 0) errors.legal_persona_name = "请只填姓名，不要加“法人”“经理”“老板”等称呼。";
      else if (odd !== undefined && BRACKETS.indexOf(odd) >= 0) errors.legal_persona_name = "姓名里不应有括号或备注，请只填法定代表人的姓名。";
      else if (odd !== undefined) errors.legal_persona_name = "姓名里不会有" + shown(odd) + "，请按营业执照上的法定代表人姓名填写。";
      else if (!CJK.test(person)) warnings.legal_persona_name = "如为外籍法定代表人，请按其微信支付绑定银行卡上的姓名填写。";
      else if (chars(person).length < 2) errors.legal_persona_name = "姓名至少两个字，请填写法定代表人的完整姓名。";
      else if (person.slice(-1) === "总" && chars(person).length <= 3) warnings.legal_persona_name = "“总”像是称呼：请填写营业执照上的法定代表人全名。";
    }
    if ("legal_persona_wechat" in values) {
      var wechat = values.legal_persona_wechat;
      if (!wechat) errors.legal_persona_wechat = "请填写法定代表人的微信号。" + WHERE_WECHAT_ID;
      else {
        var w = wechatProblem(wechat);
        if (w) errors.legal_persona_wechat = w;
      }
    }
    var phone = values.contact_phone;
    if (phone && !(MOBILE.test(phone) || LANDLINE.test(phone))) {
      errors.contact_phone = "请填写手机号（11 位）或座机号（如 020-12345678），也可以不填。";
    }
    return { values: values, errors: errors, warnings: warnings, changes: changes };
  }

  window.fastRegisterValidate = validate;

  /* Wire the form: check a field when it loses focus (and, once shown, as it is typed). */
  var form = document.querySelector("form[data-validate]");
  if (!form) return;
  var formFields = (form.dataset.fields || ALL_FIELDS.join(" ")).split(" ");
  var touched = {};

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
    });
  }

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
})();
