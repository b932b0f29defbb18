"""Traditional characters in names become the simplified ones on a mainland licence.

``portal.names.simplified`` (OpenCC ``hk2s``) suggests; it never changes a name that is
already simplified. ``e2e/test_traditional.py`` checks the browser converts alike.
"""

import itertools
from functools import cache

import opencc
import pytest

from portal.names import KEEP, simplified

#: Words of registered names (regions, trade names, trades, forms), in simplified form.
REGIONS = """北京 上海 广州 深圳 天津 重庆 杭州 南京 苏州 无锡 宁波 温州 厦门 福州 泉州 汕头 佛山 东莞
    中山 珠海 惠州 江门 湛江 长沙 武汉 郑州 济南 青岛 烟台 沈阳 大连 长春 哈尔滨 西安 成都 昆明 贵阳
    南宁 海口 兰州 银川 乌鲁木齐 呼和浩特 石家庄 太原 合肥 南昌 台州 绍兴 嘉兴 湖州 金华 义乌 丽水
    广东省 广西壮族自治区 黑龙江省 辽宁省 吉林省 浙江省 江苏省 福建省 台湾 香港 澳门 天河区 越秀区 罗湖区
    福田区 南山区 宝安区 龙岗区 龙华区 番禺区 顺德区 南海区 黄埔区 萧山区 鄞州区 鼓楼区 开发区 高新区""".split()
BRANDS = """鑫发 鸿运 华兴 永丰 万达 龙腾 凤凰 金龙 银河 宝丰 兴隆 长城 东方 飞跃 丰收 吉祥 顺发 广发 汇丰
    宏图 联创 达成 恒远 盛世 腾飞 锦绣 辉煌 骏马 雄鹰 时代 新华 中华 华夏 国际 环球 亚洲 欧陆 美丽 乐业
    乐园 爱家 亲子 贝贝 丽人 红叶 绿叶 蓝天 白云 黄金 紫荆 春晓 秋实 冬雪 夏荷 阳光 雨露 云端 风车 雷霆
    天后 后街 里仁 公里 头发 发型 干洗 面馆 面包 钟表 钟楼 丑牛 松鹤 谷丰 卷烟 制衣 征途 复兴 历程 尝鲜""".split()
TRADES = """贸易 电子 网络 科技 信息 技术 发展 实业 投资 管理 咨询 服务 餐饮 饮食 食品 饮料 酒业 茶业 农业
    林业 渔业 畜牧 养殖 种植 水产 园艺 花卉 建筑 装饰 装修 设计 广告 传媒 文化 传播 影视 娱乐 体育 健身
    教育 培训 医疗 医药 药业 药房 诊所 卫生 美容 美发 理发 化妆品 服装 鞋业 纺织 针织 印刷 包装 纸业 塑料
    五金 机械 电器 电气 电力 能源 环保 节能 汽车 汽配 运输 物流 货运 快递 仓储 旅游 酒店 宾馆 饭店 房地产
    物业 置业 家具 家居 灯饰 陶瓷 玻璃 钢铁 铝业 铜业 矿业 化工 涂料 仪器 仪表 通讯 软件 数据 网络技术
    电子商务 进出口 供应链 人力资源 会计 税务 律师 财务 金融 保险 担保 典当 拍卖 珠宝 首饰 钟表 眼镜 乐器 书店 图书
    文具 礼品 工艺品 玩具 宠物 洗涤 清洁 维修 安装 电梯 门窗 锁业 监控 安防 消防 检测 认证 标准 质量""".split()
FORMS = """有限公司 有限责任公司 股份有限公司 集团有限公司 合伙企业（有限合伙） 分公司 经营部 商行 门市部 工作室
    中心 事务所 专业合作社 农民专业合作社 个体工商户 厂 店 馆 坊 铺""".split()
WORDS = REGIONS + BRANDS + TRADES + FORMS
#: Whole names built from those words, one region, brand and trade each.
NAMES = [
    f"{r}{b}{t}{f}"
    for r, b, t, f in zip(
        itertools.cycle(REGIONS), itertools.cycle(BRANDS), TRADES * 2, itertools.cycle(FORMS)
    )
]


@cache
def _to_traditional(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def traditional_forms(text: str) -> list[str]:
    """``text`` in OpenCC's traditional, Hong Kong's and Taiwan's forms (STCharacters and
    STPhrases: dictionaries the conversion back does not use)."""
    forms = {_to_traditional(c).convert(text) for c in ("s2t", "s2hk", "s2tw")}
    return sorted(forms - {text})


#: Every word and name in its traditional forms: the word list of the parity check.
TRADITIONAL_WORDS = sorted({t for w in WORDS + NAMES for t in traditional_forms(w)})

#: Words a merchant types, and what a mainland licence says.
CASES = [
    ("廣州市沙箱餐飲管理有限公司", "广州市沙箱餐饮管理有限公司"),  # 飲, the report
    ("深圳市鑫發電子有限公司", "深圳市鑫发电子有限公司"),  # 鑫 has no other form
    ("臺灣", "台湾"),
    ("台州", "台州"),
    ("後街", "后街"),
    ("天后宮", "天后宫"),
    ("裡仁", "里仁"),
    ("公里", "公里"),
    ("發展", "发展"),
    ("頭髮", "头发"),
    ("理髮店", "理发店"),
    ("峯綫衆麪裏爲眞", "峰线众面里为真"),  # variant forms
    ("香港衞生", "香港卫生"),  # Hong Kong's form, which t2s keeps
    ("化粧品", "化妆品"),
    ("資訊科技", "资讯科技"),  # characters, never regional words (信息)
    ("乾隆", "乾隆"),
    ("甦醒", "甦醒"),
]


@pytest.mark.parametrize(("typed", "licence"), CASES)
def test_traditional_characters_become_the_licence_s(typed, licence):
    assert simplified(typed) == licence


@pytest.mark.parametrize(
    "name",
    ["昇辉智能科技股份有限公司", "陕西省乾县示例农业专业合作社", "於震", "张乾", "黄昇", "李陞",
     "陈甦", "买买提·艾力", "广州市天后餐饮管理有限公司", "著名", "什么", "蒜薹", "哪吒"],
)  # fmt: skip
def test_a_simplified_name_is_left_as_it_is(name):
    assert simplified(name) == name


def test_keep_characters_stay_even_among_traditional_ones():
    assert simplified("昇輝科技") == "昇辉科技" and simplified("於氏貿易") == "於氏贸易"
    assert all(simplified(c) == c and simplified(c, person=True) == c for c in KEEP)


def test_a_person_keeps_乾_and_a_traditional_company_name_simplifies_it():
    assert simplified("張乾", person=True) == "张乾"
    assert simplified("張乾") == "张干"  # as a company's words: 乾洗, 乾貨
    assert simplified("廣州市乾洗店") == "广州市干洗店"
    assert simplified("陝西省乾縣乾洗店") == "陕西省乾县干洗店"  # OpenCC's phrase 乾縣
    assert simplified("乾元貿易") == "乾元贸易"


def gb2312_level1() -> str:
    """The 3,755 common characters of GB 2312 (its first level)."""
    cells = (bytes([hi, lo]) for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF))
    return "".join(c.decode("gb2312", errors="ignore") for c in cells)


def test_no_common_simplified_character_changes():
    common = gb2312_level1()
    assert len(common) == 3755
    assert simplified(common) == common


def test_every_word_comes_back_from_its_traditional_forms():
    assert len(WORDS) >= 300 and len(TRADITIONAL_WORDS) >= 500
    # A word whose only traditional character is 乾 (乾洗) reads as a simplified one.
    forms = {
        w: [t for t in traditional_forms(w) if simplified(t, person=True) != t]
        for w in WORDS + NAMES
    }
    back = {w: {simplified(t) for t in ts} - {w} for w, ts in forms.items()}
    assert {w: b for w, b in back.items() if b} == {}
    assert simplified("乾洗") == "乾洗" and simplified("乾洗店有限公司") == "乾洗店有限公司"
