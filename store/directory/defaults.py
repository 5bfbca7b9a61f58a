"""The default topic tree (docs/domain.md §8) and not-accepted reason codes (docs/domain.md §3).

A city replaces them through ``store.directory.commands``; these are what a new seat starts with.
"""

from __future__ import annotations

from store.core.roles import Actor
from store.core.seat import Store
from store.directory import commands as directory

# (code, name, [second level names]); second-level codes are the parent code + 2 digits.
TOPIC_TREE: list[tuple[str, str, list[str]]] = [
    (
        "01",
        "城乡建设",
        [
            "住房保障与房地产",
            "物业管理",
            "建筑施工",
            "私搭乱建",
            "老旧小区改造",
            "房屋产权（不动产证）",
            "电梯安全",
            "住房公积金",
        ],
    ),
    (
        "02",
        "城市管理",
        [
            "市容环境",
            "无照游商",
            "占道经营",
            "井盖立杆线缆",
            "户外广告",
            "园林绿化",
            "停车管理",
            "生活垃圾",
        ],
    ),
    ("03", "生态环境", ["施工噪声", "生活噪声", "油烟污染", "大气污染", "水污染", "异味扰民"]),
    ("04", "交通运输", ["交通管理", "道路设施", "出租车网约车", "共享单车", "公路养护"]),
    ("05", "市场监管", ["消费维权", "食品安全", "价格监管", "产品质量", "预付卡退费"]),
    ("06", "劳动和社会保障", ["欠薪", "社会保险", "劳动合同", "就业创业", "医疗保险"]),
    ("07", "卫生健康", ["医疗服务", "医患纠纷", "疫苗接种", "公共卫生"]),
    ("08", "教育文体", ["学前教育", "义务教育入学", "校外培训", "文体设施"]),
    ("09", "公共服务", ["供水问题", "供电问题", "燃气问题", "供热问题", "通信网络", "公交运营"]),
    ("10", "公共安全", ["消防安全", "治安秩序", "安全生产", "犬只管理"]),
    ("11", "农林水利", ["农业农村", "林业绿化", "水利防汛"]),
    ("12", "经济财贸", ["营商环境", "企业服务", "金融服务"]),
    ("13", "民政", ["养老服务", "社会救助", "婚姻登记", "殡葬管理", "残疾人服务"]),
    ("14", "政法", ["法律援助", "公证服务", "户籍办理"]),
    ("15", "党务政务", ["政务服务", "热线服务评价", "政策咨询"]),
    ("16", "其他", ["其他"]),
]

# (code, name, what the agent tells the caller)
REASONS: list[tuple[str, str, str]] = [
    ("LITIGATION", "涉及诉讼", "已进入或应通过诉讼程序解决，告知向人民法院起诉。"),
    ("ARBITRATION", "涉及仲裁", "属劳动人事争议或合同仲裁事项，告知向仲裁委员会申请仲裁。"),
    ("DISCIPLINE", "涉及纪检监察", "属纪检监察事项，告知向纪检监察机关反映。"),
    ("REVIEW", "涉及行政复议", "对行政行为不服，告知依法申请行政复议或提起行政诉讼。"),
    ("DISCLOSURE", "政府信息公开申请", "告知依《政府信息公开条例》向有关机关提出申请。"),
    ("PETITION", "已进入信访程序", "事项已在信访程序中，告知向信访部门了解进展。"),
    ("ILLEGAL", "违法或违背公序良俗", "诉求违反法律法规或公序良俗，依法不予受理并做好解释。"),
    ("SECRET", "涉密或涉及他人隐私", "涉及国家秘密、商业秘密或他人隐私，不予受理。"),
    ("MALICIOUS", "恶意骚扰", "无正当诉求反复来电，记录后报值班长。"),
    ("OUT_OF_AREA", "不属本市管辖", "告知向事项所在地的 12345 热线反映。"),
    ("NO_CONTENT", "无实质诉求", "来电无具体诉求或无法核实。"),
]


def topic_code(first: str, index: int) -> str:
    """Code of the ``index``-th (0-based) second-level topic under ``first``."""
    return f"{first}{index + 1:02d}"


def install_defaults(store: Store, actor: Actor) -> None:
    """Define the default topic tree and reason codes (idempotent: same codes, same rows)."""
    for code, name, children in TOPIC_TREE:
        directory.define_topic(store, actor, code, name)
        for i, child in enumerate(children):
            directory.define_topic(store, actor, topic_code(code, i), child, code)
    for code, name, guidance in REASONS:
        directory.define_reason(store, actor, code, name, guidance)
