"""The bodies the central server's routes accept (pydantic), with their limits."""

from typing import Any

from pydantic import BaseModel, Field


class LoginRequest(BaseModel):
    agent_id: str = Field(max_length=64, description="工号")
    password: str = Field(max_length=256)


class DeviceRequest(BaseModel):
    name: str = Field(default="", max_length=64, description="座席名称")
    profile: str = Field(default="seat", description="seat：话务座席；reference：知识库与目录维护")
    device_id: str | None = Field(default=None, max_length=64, description="座席现有的设备号")


class PushRequest(BaseModel):
    events: list[Any] = Field(description="未发送的事件，按本座席的产生顺序")
    sign_ins: list[Any] = Field(default_factory=list, description="本座席的登录凭证（工号签名）")


class RekeyRequest(BaseModel):
    device_id: str | None = Field(default=None, max_length=64, description="副本的新设备号")


class PullRequest(BaseModel):
    cursors: dict[str, Any] = Field(default_factory=dict, description="每个事件流已读到的序号")
    limit: int = Field(default=1000, ge=1, le=2000)


class LeaseRequest(BaseModel):
    day: str = Field(description="日期 YYYY-MM-DD")
    count: int = Field(default=100, ge=1, le=1000)


class ReferenceRequest(BaseModel):
    args: dict[str, Any] = Field(default_factory=dict, description="操作参数")


class UnitAction(BaseModel):
    note: str = ""
    basis: str = ""
    reason: str = ""
    until: str = ""
    text: str = ""
