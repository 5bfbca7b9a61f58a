"""The fixed vocabularies of a ticket (docs/domain.md §2): codes stored, Chinese labels shown."""

from __future__ import annotations

CHANNELS: dict[str, str] = {
    "phone": "电话",
    "wechat": "微信",
    "web": "网站",
    "app": "APP",
    "sms": "短信",
    "mailbox": "信箱",
    "province": "省平台下派",
    "from_110": "110 转入",
    "leader_mailbox": "领导信箱",
}

TYPES: dict[str, str] = {
    "consult": "咨询",
    "help": "求助",
    "complaint": "投诉",
    "report": "举报",
    "suggestion": "建议",
    "praise": "表扬",
}

URGENCIES: dict[str, str] = {"normal": "一般", "urgent": "紧急", "critical": "特急"}

GENDERS: dict[str, str] = {"": "未知", "male": "男", "female": "女"}

EMERGENCY_LINES: dict[str, str] = {
    "110": "110 公安",
    "119": "119 消防",
    "120": "120 急救",
    "122": "122 交通事故",
}

TRANSFER_MODES: dict[str, str] = {"one_key": "一键转接", "three_way": "三方通话"}

CLOCK_KINDS: dict[str, str] = {
    "sign": "签收",
    "contact": "联系来电人",
    "handle": "办理",
    "return": "退单时限",
    "callback": "回访",
}
