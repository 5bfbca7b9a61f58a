"""The knowledge base's synonym table: callers' everyday words for official terms.

The table belongs to the knowledge base: editors change it (``kb.synonym_set`` /
``kb.synonym_removed`` events, synced like entries), and search expands a query from the
everyday word to the official term (噪音 also searches 噪声).
"""

from __future__ import annotations

import sqlite3

from store.core.db import transaction
from store.core.errors import InvalidInput
from store.core.roles import Actor
from store.core.seat import Store
from store.core.validation import clean_text
from store.kb.permissions import require_editor
from store.kb.tokens import normalize

# A starter table from the hotline's hot topics (docs/domain.md §8) and the wording of the
# regulations agents answer from. Everyday word → official term.
STARTER: tuple[tuple[str, str], ...] = (
    # 噪声、环境
    ("噪音", "噪声"),
    ("扰民", "噪声污染"),
    ("吵闹", "噪声"),
    ("广场舞", "噪声"),
    ("装修噪音", "装饰装修噪声"),
    ("油烟", "油烟污染"),
    ("烧烤", "露天烧烤"),
    ("臭味", "异味"),
    ("排污", "排放污染物"),
    ("黑烟", "大气污染"),
    ("污水", "废水"),
    ("垃圾分类", "生活垃圾分类"),
    ("扔垃圾", "生活垃圾"),
    ("建筑垃圾", "建筑垃圾"),
    ("渣土", "建筑垃圾"),
    ("扬尘", "扬尘污染"),
    # 城市管理、违建
    ("违建", "违法建筑"),
    ("违章建筑", "违法建筑"),
    ("私搭乱建", "违法建设"),
    ("乱搭乱建", "违法建设"),
    ("搭建", "违法建设"),
    ("乱贴广告", "张贴"),
    ("小广告", "张贴"),
    ("占道经营", "占用道路"),
    ("摆摊", "设摊"),
    ("地摊", "设摊"),
    ("无照经营", "无证无照经营"),
    ("游商", "流动商贩"),
    ("小贩", "流动商贩"),
    ("井盖", "窨井盖"),
    ("路灯不亮", "路灯"),
    ("电线杆", "杆线"),
    ("城管", "城市管理"),
    ("绿化带", "绿地"),
    ("砍树", "砍伐树木"),
    # 物业、住房
    ("物业费", "物业服务费用"),
    ("物业公司", "物业服务企业"),
    ("业委会", "业主委员会"),
    ("电梯坏了", "电梯"),
    ("维修基金", "专项维修资金"),
    ("公摊", "共有部分"),
    ("房产证", "不动产权证书"),
    ("产权证", "不动产权证书"),
    ("不动产证", "不动产权证书"),
    ("过户", "转移登记"),
    ("租房", "房屋租赁"),
    ("房东", "出租人"),
    ("租客", "承租人"),
    ("押金", "保证金"),
    ("群租", "房屋租赁"),
    ("拆迁", "征收"),
    ("拆迁补偿", "征收补偿"),
    ("公积金", "住房公积金"),
    ("廉租房", "保障性住房"),
    ("公租房", "公共租赁住房"),
    ("停车位", "停车泊位"),
    ("车位", "停车泊位"),
    ("乱停车", "违法停车"),
    ("充电桩", "充电设施"),
    # 水电气热
    ("停水", "供水"),
    ("自来水", "供水"),
    ("水费", "水费"),
    ("水压低", "供水水压"),
    ("停电", "供电"),
    ("电费", "电费"),
    ("暖气", "供热"),
    ("供暖", "供热"),
    ("暖气费", "供热费"),
    ("取暖费", "供热费"),
    ("煤气", "燃气"),
    ("天然气", "燃气"),
    ("液化气", "瓶装燃气"),
    ("煤气罐", "瓶装燃气"),
    ("漏气", "燃气泄漏"),
    ("下水道", "排水管道"),
    ("堵了", "堵塞"),
    # 劳动、社保
    ("社保", "社会保险"),
    ("养老保险", "基本养老保险"),
    ("医保", "医疗保险"),
    ("失业金", "失业保险金"),
    ("工伤认定", "工伤认定"),
    ("工伤", "工伤保险"),
    ("生育险", "生育保险"),
    ("退休金", "基本养老金"),
    ("养老金", "基本养老金"),
    ("欠薪", "拖欠工资"),
    ("讨薪", "拖欠工资"),
    ("工资拖欠", "拖欠工资"),
    ("不发工资", "拖欠工资"),
    ("农民工工资", "农民工工资"),
    ("加班费", "延长工作时间"),
    ("加班", "延长工作时间"),
    ("辞退", "解除劳动合同"),
    ("开除", "解除劳动合同"),
    ("炒鱿鱼", "解除劳动合同"),
    ("辞职", "解除劳动合同"),
    ("赔偿金", "经济补偿"),
    ("年假", "年休假"),
    ("产假", "生育假"),
    ("试用期", "试用期"),
    ("劳动仲裁", "劳动争议仲裁"),
    ("最低工资", "最低工资标准"),
    # 消费、市场
    ("消费维权", "消费者权益"),
    ("退货", "退货"),
    ("假货", "假冒伪劣"),
    ("三无产品", "伪劣产品"),
    ("过期食品", "超过保质期"),
    ("食物中毒", "食品安全事故"),
    ("预付卡", "单用途预付卡"),
    ("办卡", "预付卡"),
    ("跑路", "停业"),
    ("短斤缺两", "计量"),
    ("乱收费", "违规收费"),
    ("明码标价", "明码标价"),
    ("网购", "网络交易"),
    ("快递", "快递服务"),
    # 交通
    ("黑车", "非法营运"),
    ("网约车", "网络预约出租汽车"),
    ("打车", "出租汽车"),
    ("公交车", "公共汽车"),
    ("电动车", "电动自行车"),
    ("电瓶车", "电动自行车"),
    ("驾照", "机动车驾驶证"),
    ("罚单", "罚款"),
    ("违章", "交通违法"),
    ("拖车", "拖移"),
    # 民政、卫健、教育、殡葬
    ("低保", "最低生活保障"),
    ("残疾证", "残疾人证"),
    ("老人", "老年人"),
    ("养老院", "养老机构"),
    ("结婚证", "婚姻登记"),
    ("离婚", "婚姻登记"),
    ("上户口", "户口登记"),
    ("落户", "户口登记"),
    ("身份证", "居民身份证"),
    ("看病", "医疗"),
    ("打疫苗", "预防接种"),
    ("疫苗", "预防接种"),
    ("上学", "入学"),
    ("择校", "入学"),
    ("补课", "校外培训"),
    ("墓地", "公墓"),
    ("丧葬费", "丧葬补助金"),
    ("火化", "遗体火化"),
    # 动物
    ("狗", "犬只"),
    ("养狗", "养犬"),
    ("遛狗", "携犬出户"),
    ("狗咬人", "犬只伤人"),
    ("流浪狗", "无主犬"),
    ("狗证", "养犬登记证"),
    # 信访、政务
    ("上访", "信访"),
    ("投诉", "投诉"),
    ("政府信息", "政府信息公开"),
    ("办事难", "政务服务"),
)


def pairs(conn: sqlite3.Connection) -> dict[str, str]:
    """The table as it stands: term → canonical."""
    return dict(conn.execute("SELECT term, canonical FROM kb_synonyms").fetchall())


def expansions(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Each everyday word → the official terms it is also searched as.

    One way only: an official term is what entries are written in, and widening it to
    every everyday word that points at it (噪声 → 广场舞) would bury the entries about it.
    """
    result: dict[str, set[str]] = {}
    for term, canonical in pairs(conn).items():
        if term != canonical:
            result.setdefault(term, set()).add(canonical)
    return result


def set_synonym(store: Store, actor: Actor, term: str, canonical: str) -> None:
    """Add or change one pair of the table."""
    require_editor(actor)
    term = _word(term, "term", "日常用语")
    canonical = _word(canonical, "canonical", "规范用语")
    with transaction(store.conn):
        if pairs(store.conn).get(term) == canonical:
            return  # unchanged: no event
        store.emit(
            actor,
            "kb.synonym_set",
            {"term": term, "canonical": canonical},
            subject_id=term,
            stream="kb",
        )


def remove_synonym(store: Store, actor: Actor, term: str) -> None:
    """Remove one pair; removing a word that is not in the table is an error."""
    require_editor(actor)
    term = _word(term, "term", "日常用语")
    with transaction(store.conn):
        if term not in pairs(store.conn):
            raise InvalidInput(f"同义词表中没有“{term}”。", field="term")
        store.emit(actor, "kb.synonym_removed", {"term": term}, subject_id=term, stream="kb")


def install_starter(store: Store, actor: Actor) -> None:
    """Install the starter table (idempotent: pairs already there write nothing)."""
    for term, canonical in STARTER:
        if term != canonical:
            set_synonym(store, actor, term, canonical)


def _word(value: object, field: str, label: str) -> str:
    word = normalize(clean_text(value, field=field, label=label, required=True, limit=20))
    if any(ch.isspace() for ch in word):
        raise InvalidInput(f"{label}不能含有空格。", field=field)
    return word
