"""What registered company names and legal persons' names may hold, with the sources.

The data behind the name checks in ``portal.validation`` (``static/js/validation.js``
mirrors it, and the parity test keeps the two in step).
"""

from __future__ import annotations

import re
from functools import cache

import opencc

#: Han characters: the basic block, extension A and the supplementary planes' extensions.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"
#: What a registered company name may hold. 《企业名称登记管理规定》(国务院令第734号)
#: 第五条: 企业名称应当使用规范汉字; names registered before it still carry Latin
#: letters and digits (e.g. TCL科技集团股份有限公司); a region or a branch stands in
#: full-width parentheses (normalized from half-width); "·" appears in transliterations.
#: Full-width digits and letters, Roman numerals (Ⅱ) and 〇 are allowed here only to be
#: asked about (LOOKALIKE_NUMERALS): they are what a Chinese input method types.
NAME_CHARS = re.compile(f"[{HAN}A-Za-z0-9（）·０-９Ａ-Ｚａ-ｚ\u2160-\u217f〇]")
#: No registered name comes near this (they run to about 50 characters, branches
#: included); WeChat refuses far longer ones only after spending quota.
NAME_MAX = 80
#: A legal person's name as on the ID card and WeChat Pay's real-name record: Han
#: characters, "·" between the parts of an ethnic-minority name (GB/T 28039), or
#: Latin letters with . - ' and single spaces for a foreign legal person as on the
#: passport and the bank card (normalization leaves a space only between Latin words).
PERSON_CHARS = re.compile(f"[{HAN}A-Za-z·.' -]")
PERSON_MAX = 50
#: "·" stands only between two parts of a name (GB/T 28039): never first, last or doubled.
PERSON_DOT_MISPLACED = re.compile("^·|·$|··")
BRACKETS = "（）()【】[]<>《》"
#: The organisational forms a registered name ends with (《企业名称登记管理规定》第六条:
#: 企业名称由行政区划名称、字号、行业或者经营特点、组织形式组成), branches included.
ORG_FORMS = ("公司", "合作社", "联合社", "店", "厂", "中心", "事务所", "工作室", "部", "馆",
             "行", "社", "院", "所", "场", "坊", "铺", "堂", "站", "园", "室", "城", "庄", "处",
             "企业", "集团", "分行", "支行", "农场", "合伙", "商号", "经营部", "门市")  # fmt: skip
#: A legal person's name ending with one of these, or holding 公司 or 有限, is a company's
#: name. The one-character forms (城, 园, 堂, 庄, 行, 院 …) end real names too (欧阳金城,
#: 司马文园, 上官明堂, 张王晓园): in a person's name they only ask (PERSON_SHOP_ENDINGS).
PERSON_COMPANY_FORMS = tuple(form for form in ORG_FORMS if len(form) > 1)
PERSON_COMPANY_WORDS = ("公司", "有限")
PERSON_SHOP_ENDINGS = tuple(form for form in ORG_FORMS if len(form) == 1)
#: What the licence shows as the name of an individual business without a trade name
#: (个体工商户, 无字号): "*", "无", a dash or nothing. WeChat's rule for these is 个体户 and
#: the legal person's name (个体户张三).
NO_TRADE_NAME = re.compile(r"[*＊/／\-－—_]+|无|无字号|空|个体|个体户|个体工商户")
#: A trailing (普通合伙) / (个人独资) / (有限合伙) after the form.
TRAILING_NOTE = re.compile(r"（[^（）]*）$")
#: The legal forms (《企业名称登记管理规定》(2020) 第十条: 企业应当根据其组织结构或者责任形式
#: 依法在企业名称中标明组织形式; 《公司法》, 《合伙企业法》, 《个人独资企业法》), longest first
#: so that 股份有限公司 is one form, not 有限公司 inside another. A name has one, at the end
#: (before a note such as （有限合伙）). Co-operatives are left out: 合作社 can be a trade
#: name, and 合作社联合社 (a union of co-operatives) holds two.
LEGAL_FORMS = re.compile("股份有限公司|有限责任公司|有限公司|股份合作公司|合伙企业|个人独资企业")
#: What may follow the legal form: a branch (同上 第十三条: 企业分支机构名称应当冠以其所从属
#: 企业的名称，并缀以"分公司""分厂""分店"等字词; 《企业名称登记管理规定实施办法》(2023)),
#: such as 中国工商银行股份有限公司北京市分行营业部. A branch name ends with one of these.
BRANCH_FORMS = ("分公司", "分店", "分厂", "分行", "支行", "分理处", "营业部", "营业所", "营业厅",
                "办事处", "经营部", "门市部", "服务部", "分部", "分所", "分社", "分院", "分中心",
                "分场", "加油站", "项目部", "工程处", "门店", "超市", "店", "厂", "部", "处",
                "站", "所", "中心", "馆", "厅", "场", "行", "社", "院")  # fmt: skip
#: Non-Han characters that look like a Han character (katakana, bopomofo, dashes), with
#: the character meant: a registered name holds only the Han one (同上 第五条: 规范汉字).
LOOKALIKES = {"ロ": "口", "エ": "工", "カ": "力", "タ": "夕", "ニ": "二", "ハ": "八", "ト": "卜",
              "ヒ": "匕", "メ": "乂", "ム": "厶", "ー": "一", "ㄧ": "一", "—": "一", "―": "一",
              "ㄇ": "冂", "ㄈ": "匚", "ㄎ": "丂"}  # fmt: skip
#: Han numerals, for a run of digits that mixes them with Latin O or Arabic digits.
HAN_NUMERALS = "〇零一二三四五六七八九十百千万"
#: Traditional to simplified with OpenCC's ``hk2s``: OpenCC's standard traditional forms
#: (TSPhrases + TSCharacters, the same as ``t2s``) plus Hong Kong's forms (衞, 粧, 枱, 敍,
#: 糭, 衹) that merchants copy from Hong Kong sources and ``t2s`` leaves as they are; it
#: changes no simplified character. ``tw2s`` is not used: it rewrites simplified 么 and 著.
#: No regional vocabulary (``hk2sp``/``tw2sp`` would turn 資訊 into 信息): a name's
#: characters are simplified, its words never replaced. OpenCC's "tofu risk" dictionary is
#: left out: it maps rare characters to supplementary-plane forms that phones may not
#: display, and opencc-js (static/js/vendor/) does not ship it.
OPENCC_CONFIG = "hk2s"
#: Characters OpenCC simplifies that 《通用规范汉字表》(2013) keeps as standard in names
#: (於 as a surname; 昇, 陞, 甦 in personal and trade names; 乾 as in 乾坤, 乾县, 张乾), so
#: they appear on mainland licences and ID cards: a person's name keeps all of them.
KEEP = "於昇陞甦乾"
#: A company name typed in traditional characters keeps only these: its 乾 is the 干 of
#: 乾洗 (干洗), 乾貨 (干货), while OpenCC's phrases keep 乾坤, 乾隆, 乾元, 乾縣 (乾县).
#: A name with no other traditional character keeps its 乾 (陕西省乾县…).
KEEP_IN_TRADITIONAL_NAME = "於昇陞甦"
#: Titles and notes typed after a legal person's name.
TITLES = ("法人", "法定代表人", "法人代表", "负责人", "总经理", "经理", "董事长", "老板", "店主",
          "先生", "女士", "老师", "总裁")  # fmt: skip
#: What is typed instead of a name: a title alone, or a word for whoever it is.
TITLES_ALONE = (*TITLES, "本人", "老总", "业主", "经营者", "个体户")


@cache
def _opencc() -> opencc.OpenCC:
    return opencc.OpenCC(OPENCC_CONFIG, include_tofu_risk_dictionaries=False)


def _converted(text: str, keep: str) -> str:
    parts = re.split(f"([{keep}])", text)  # the kept characters at the odd places
    return "".join(part if i % 2 else _opencc().convert(part) for i, part in enumerate(parts))


def simplified(text: str, person: bool = False) -> str:
    """``text`` (a company name, or a ``person``'s) in simplified characters: OpenCC
    ``hk2s``, the KEEP characters as typed.

    ``static/js/validation.js`` converts with opencc-js's same dictionaries and the same
    rules, so the browser suggests exactly what the server does.
    """
    kept = _converted(text, KEEP)
    if person or kept == text:
        return kept
    return _converted(text, KEEP_IN_TRADITIONAL_NAME)
