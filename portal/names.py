"""What registered company names and legal persons' names may hold, with the sources.

The data behind the name checks in ``portal.validation`` (``static/js/validation.js``
mirrors it, and the parity test keeps the two in step).
"""

from __future__ import annotations

import re

#: Han characters: the basic block, extension A and the supplementary planes' extensions.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"
#: What a registered company name may hold. 《企业名称登记管理规定》(国务院令第734号)
#: 第六条: 企业名称应当使用规范汉字; names registered before it still carry Latin
#: letters and digits (e.g. TCL科技集团股份有限公司); a region or a branch stands in
#: full-width parentheses (normalized from half-width); "·" appears in transliterations.
NAME_CHARS = re.compile(f"[{HAN}A-Za-z0-9（）·]")
#: No registered name comes near this (they run to about 50 characters, branches
#: included); WeChat refuses far longer ones only after spending quota.
NAME_MAX = 80
#: A legal person's name as on the ID card and WeChat Pay's real-name record: Han
#: characters, "·" between the parts of an ethnic-minority name (GB/T 28039), or
#: Latin letters with . - ' for a foreign legal person as on the passport.
PERSON_CHARS = re.compile(f"[{HAN}A-Za-z·.'-]")
PERSON_MAX = 50
BRACKETS = "（）()【】[]<>《》"
#: The organisational forms a registered name ends with (《企业名称登记管理规定》第六条:
#: 企业名称由行政区划名称、字号、行业或者经营特点、组织形式组成), branches included.
ORG_FORMS = ("公司", "合作社", "联合社", "店", "厂", "中心", "事务所", "工作室", "部", "馆",
             "行", "社", "院", "所", "场", "坊", "铺", "堂", "站", "园", "室", "城", "庄", "处",
             "企业", "集团", "分行", "支行", "农场", "合伙", "商号", "经营部", "门市")  # fmt: skip
#: A trailing (普通合伙) / (个人独资) / (有限合伙) after the form.
TRAILING_NOTE = re.compile(r"（[^（）]*）$")
#: Traditional characters common in company names, and their standard simplified forms
#: (registered names use 规范汉字, 《通用规范汉字表》).
TRADITIONAL = "國門東車長電貿業務開發廣華葉廳飯館歡樂網絡資訊實體會計專設傳藝術環醫藥養農產經營銷興達聯創濟購買賣貨運輸線龍鳳寶順萬億豐灣臺區縣鎮鄉莊與為廠場園號際裝飾紡織機氣燈鐵鋼銀錢寧陽雲陳劉張楊黃趙吳鄭馬孫韓馮鄧蕭學藍紅綠顏鮮魚雞麵湯鍋燒滷醬餅麥點廚衛潔護髮雜優質標準築倉儲輛鏈鎖書畫圖聲視頻遊戲夢愛總屬礦鹽漁貝親"
SIMPLIFIED = "国门东车长电贸业务开发广华叶厅饭馆欢乐网络资讯实体会计专设传艺术环医药养农产经营销兴达联创济购买卖货运输线龙凤宝顺万亿丰湾台区县镇乡庄与为厂场园号际装饰纺织机气灯铁钢银钱宁阳云陈刘张杨黄赵吴郑马孙韩冯邓萧学蓝红绿颜鲜鱼鸡面汤锅烧卤酱饼麦点厨卫洁护发杂优质标准筑仓储辆链锁书画图声视频游戏梦爱总属矿盐渔贝亲"
#: Titles and notes typed after a legal person's name.
TITLES = ("法人", "法定代表人", "总经理", "经理", "董事长", "老板", "先生", "女士", "老师", "总裁")


def simplified(text: str) -> str:
    """``text`` with the traditional characters of TRADITIONAL made simplified."""
    return text.translate(str.maketrans(TRADITIONAL, SIMPLIFIED))
