"""Legal-form and industry vocabularies in Chinese and English, used to split company names.

Why our own lists: ``cleanco`` strips English legal forms only and leaves "Co." behind; Chinese
names need 股份有限公司 / 有限责任公司 / 集团 stripped, and English names carry industry words
("Technology", "Electronics") that say nothing about identity but differ across languages.
Sources: China's Company Law forms (有限责任公司, 股份有限公司), SAMR enterprise-name rules
(企业名称登记管理规定: 行政区划 + 字号 + 行业 + 组织形式), common English translations.
"""

from __future__ import annotations

#: Longest first: they are stripped from the end of a Chinese name.
ZH_LEGAL_FORMS: tuple[str, ...] = (
    "股份有限公司", "有限责任公司", "集团股份有限公司", "集团有限公司", "控股有限公司", "控股集团",
    "有限公司", "股份公司", "总公司", "分公司", "子公司", "合伙企业", "有限合伙", "个体工商户",
    "经营部", "商行", "工作室", "事务所", "集团", "控股", "公司", "厂",
)

EN_LEGAL_FORMS: frozenset[str] = frozenset(
    {
        "co", "company", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "llc", "plc", "lp",
        "llp", "gmbh", "ag", "sa", "sarl", "srl", "spa", "bv", "nv", "kk", "pte", "pty", "group", "holding",
        "holdings", "jsc", "sdn", "bhd", "oy", "ab", "as", "kg", "ug", "co.,ltd", "coltd",
    }
)

#: Industry words: Chinese → English renderings seen in official English names.
INDUSTRY_TERMS: dict[str, tuple[str, ...]] = {
    "科技": ("technology", "technologies", "tech", "science and technology", "sci-tech"),
    "技术": ("technology", "technologies"),
    "信息技术": ("information technology",),
    "电子": ("electronics", "electronic"),
    "电器": ("electric", "electrical appliances", "appliances", "electric appliances", "appliance"),
    "电源": ("power supply", "power"),
    "绿能": ("green energy",),
    "在线": ("online",),
    "药业": ("pharmaceutical", "pharmaceuticals", "pharma"),
    "厨具": ("kitchen ware", "kitchenware", "kitchen"),
    "动力": ("power", "motors"),
    "基因": ("genomics", "gene"),
    "电气": ("electric", "electrical"),
    "电子商务": ("e-commerce", "ecommerce"),
    "实业": ("industrial", "industry", "industries"),
    "工业": ("industry", "industrial"),
    "重工": ("heavy industry",),
    "重科": ("heavy industry", "heavy industry science and technology"),
    "贸易": ("trading", "trade"),
    "进出口": ("import and export", "import & export", "imp & exp", "imp. & exp."),
    "国际贸易": ("international trading",),
    "智能": ("intelligent", "smart"),
    "网络": ("network", "networks"),
    "通讯": ("telecom", "communication", "communications"),
    "通信": ("communication", "communications", "telecom"),
    "医疗器械": ("medical equipment", "medical devices", "medical"),
    "医疗": ("medical", "healthcare"),
    "医药": ("pharmaceutical", "pharmaceuticals", "pharma"),
    "生物": ("biological", "bio", "biotech", "bio-medical", "biomedical"),
    "食品": ("food", "foods"),
    "乳业": ("dairy",),
    "服饰": ("apparel", "garment", "clothing"),
    "服装": ("garment", "clothing", "apparel"),
    "体育用品": ("sports products", "sporting goods", "sports"),
    "机械": ("machinery",),
    "汽车": ("automobile", "auto", "automotive", "motor", "motors"),
    "新能源": ("new energy",),
    "能源": ("energy",),
    "光电": ("optoelectronics", "optoelectronic"),
    "光学": ("optical",),
    "精密": ("precision",),
    "玩具": ("toys", "toy"),
    "家居": ("home", "household", "home furnishing"),
    "家具": ("furniture",),
    "照明": ("lighting",),
    "数码": ("digital",),
    "数字": ("digital",),
    "创新": ("innovation", "innovations"),
    "发展": ("development",),
    "投资": ("investment",),
    "供应链": ("supply chain",),
    "人体工学": ("ergonomic", "ergonomics"),
    "机器人": ("robotics", "robot"),
    "新材料": ("new materials", "advanced materials"),
    "材料": ("materials",),
    "化工": ("chemical", "chemicals"),
    "纺织": ("textile", "textiles"),
    "玻璃": ("glass",),
    "酿酒": ("brewery", "distillery"),
    "啤酒": ("brewery", "beer"),
    "酒业": ("liquor", "wine"),
    "酒": ("liquor", "spirits", "wine"),
    "保险": ("insurance",),
    "银行": ("bank",),
    "软件": ("software",),
    "互联网": ("internet",),
    "文化": ("culture", "cultural"),
    "传媒": ("media",),
    "物流": ("logistics",),
    "制造": ("manufacturing", "manufacture"),
    "制品": ("products",),
    "用品": ("products", "supplies"),
    "设备": ("equipment",),
    "仪器": ("instruments",),
    "器材": ("equipment",),
    "股份": ("shares",),
    "工程": ("engineering",),
    "建设": ("construction",),
    "日用品": ("daily necessities", "household products"),
    "礼品": ("gifts",),
}

EN_INDUSTRY_WORDS: frozenset[str] = frozenset(
    word for renderings in INDUSTRY_TERMS.values() for phrase in renderings for word in phrase.split()
) | frozenset({"and", "&", "the", "of", "international", "global", "china", "chinese", "prc", "trading", "store",
               "shop", "official", "direct", "us", "usa", "eu", "mall"})

#: Provinces and major cities (Chinese, pinyin / usual English spelling).
PLACES: dict[str, tuple[str, ...]] = {
    "北京": ("beijing", "peking"), "上海": ("shanghai",), "天津": ("tianjin",), "重庆": ("chongqing",),
    "广东": ("guangdong",), "广州": ("guangzhou",), "深圳": ("shenzhen", "sz"), "东莞": ("dongguan",),
    "佛山": ("foshan",), "珠海": ("zhuhai",), "中山": ("zhongshan",), "汕头": ("shantou",), "惠州": ("huizhou",),
    "浙江": ("zhejiang",), "杭州": ("hangzhou",), "宁波": ("ningbo",), "温州": ("wenzhou",), "义乌": ("yiwu",),
    "金华": ("jinhua",), "台州": ("taizhou",), "绍兴": ("shaoxing",), "嘉兴": ("jiaxing",), "湖州": ("huzhou",),
    "江苏": ("jiangsu",), "南京": ("nanjing",), "苏州": ("suzhou",), "无锡": ("wuxi",), "常州": ("changzhou",),
    "徐州": ("xuzhou",), "南通": ("nantong",), "山东": ("shandong",), "青岛": ("qingdao", "tsingtao"),
    "济南": ("jinan",), "烟台": ("yantai",), "福建": ("fujian",), "厦门": ("xiamen", "amoy"),
    "福州": ("fuzhou",), "泉州": ("quanzhou",), "晋江": ("jinjiang",), "湖南": ("hunan",), "长沙": ("changsha",),
    "湖北": ("hubei",), "武汉": ("wuhan",), "河南": ("henan",), "郑州": ("zhengzhou",), "河北": ("hebei",),
    "四川": ("sichuan",), "成都": ("chengdu",), "安徽": ("anhui",), "合肥": ("hefei",), "江西": ("jiangxi",),
    "陕西": ("shaanxi",), "西安": ("xian", "xi'an"), "辽宁": ("liaoning",), "大连": ("dalian",),
    "沈阳": ("shenyang",), "吉林": ("jilin",), "黑龙江": ("heilongjiang",), "内蒙古": ("inner mongolia",),
    "贵州": ("guizhou", "kweichow"), "云南": ("yunnan",), "广西": ("guangxi",), "海南": ("hainan",),
    "山西": ("shanxi",), "甘肃": ("gansu",), "新疆": ("xinjiang",), "宜宾": ("yibin",), "香港": ("hong kong", "hk"),
    "澳门": ("macau", "macao"), "台湾": ("taiwan",), "中国": ("china", "prc"),
}
