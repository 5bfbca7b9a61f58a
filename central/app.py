"""The central server's HTTP API (FastAPI): sync for seats, an API for handling units.

Every route but ``/v1/health`` and the OpenAPI description wants a bearer token: a
device's (sync) or an agent's (sessions, device registration, the unit API). Errors come
back as ``{"detail": "<Chinese message>"}`` with a fitting status, never as a stack trace.

No ``from __future__ import annotations`` here: FastAPI reads the dependency annotations,
some of them local to ``create_app``, at run time.
"""

import logging
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from central.credentials import Device, Unauthorized, require_agent, require_device
from central.guard import Guard
from central.service import CentralService
from central.throttle import TooManyAttempts
from store.core.errors import DomainError
from store.core.roles import Actor, Role
from store.services import liaison as unit_desk
from store.services import reference

log = logging.getLogger("hotline.central")

_STATUS = {
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "invalid_input": 422,
    "out_of_range": 400,
    "too_many": 429,
}


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


def create_app(service: CentralService) -> Guard:
    app = FastAPI(
        title="hotline 中心服务器",
        version="1",
        description="12345 热线座席同步与承办单位接口。",
    )
    bearer = HTTPBearer(auto_error=False)

    async def principal(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Device | Actor:
        # The guard (central/guard.py) authenticated the caller before the body was read.
        found = getattr(request.state, "principal", None)
        if found is not None:
            return found
        if credentials is None:
            raise Unauthorized("缺少登录凭据（Authorization: Bearer …）。")
        return await run_in_threadpool(service.credentials.authenticate, credentials.credentials)

    Who = Annotated[Device | Actor, Depends(principal)]

    async def device(who: Who) -> Device:
        return require_device(who)

    async def liaison(who: Who) -> Actor:
        return require_agent(who, Role.LIAISON)

    Seat = Annotated[Device, Depends(device)]
    Liaison = Annotated[Actor, Depends(liaison)]

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, error: DomainError) -> JSONResponse:
        status = _STATUS.get(error.code, 409)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if isinstance(error, TooManyAttempts):
            headers = {"Retry-After": str(error.retry_after)}
        return JSONResponse({"detail": error.message}, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, error: RequestValidationError) -> JSONResponse:
        fields = "、".join(".".join(str(p) for p in e.get("loc", ())[1:]) for e in error.errors())
        return JSONResponse({"detail": f"请求格式错误：{fields or '请求体'}"}, status_code=422)

    @app.exception_handler(Exception)
    async def _crash(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse({"detail": "中心服务器内部错误，已记录。"}, status_code=500)

    @app.get("/v1/health", summary="服务是否在运行（不需登录）")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/sessions", summary="工号登录，取得会话令牌")
    def login(body: LoginRequest, request: Request) -> dict[str, Any]:
        address = request.client.host if request.client else ""
        return service.credentials.login(body.agent_id, body.password, address)

    @app.post("/v1/devices", summary="注册座席（系统管理员或值班长）")
    def register(body: DeviceRequest, who: Who) -> dict[str, Any]:
        registrar = require_agent(who)
        return service.credentials.register_device(
            registrar, body.name, body.profile, body.device_id
        )

    @app.post("/v1/devices/rekey", summary="复制或恢复的座席取得自己的新身份")
    def rekey(body: RekeyRequest, seat: Seat) -> dict[str, Any]:
        return service.credentials.rekey(seat, body.device_id)

    @app.post("/v1/sync/push", summary="提交本座席的登录凭证和未发送的事件")
    def push(body: PushRequest, seat: Seat) -> dict[str, Any]:
        return service.push(seat, body.events, body.sign_ins)

    @app.post("/v1/sync/pull", summary="按游标拉取本座席可读事件流的新事件")
    async def pull(body: PullRequest, seat: Seat) -> Response:
        # Most pulls are answered from memory on the event loop; the rest go to a thread.
        page = service.pull_from_memory(seat, body.cursors, body.limit)
        if page is None:
            page = await run_in_threadpool(service.pull, seat, body.cursors, body.limit)
        return Response(page.to_json(), media_type="application/json")

    @app.post("/v1/numbers/lease", summary="申请一段工单号")
    def lease(body: LeaseRequest, seat: Seat) -> dict[str, Any]:
        return service.lease(seat, body.day, body.count)

    @app.post("/v1/reference/{command}", summary="目录、配置、派单目录和知识库的修改（联网办理）")
    def reference_change(command: str, body: ReferenceRequest, who: Who) -> dict[str, Any]:
        actor = require_agent(who)
        result = service.run_command(
            lambda store: reference.execute(store, actor, command, body.args)
        )
        return {"result": result}

    @app.get("/v1/unit/tickets", summary="本单位待办工单")
    def unit_list(actor: Liaison) -> dict[str, Any]:
        rows = service.read(lambda conn: unit_desk.my_tickets(conn, actor, service.clock()))
        return {"tickets": rows}

    @app.get("/v1/unit/tickets/{number}", summary="查看本单位的一张工单")
    def unit_show(number: str, actor: Liaison) -> dict[str, Any]:
        return service.read(lambda conn: unit_desk.ticket_view(conn, actor, number))

    @app.post("/v1/unit/tickets/{number}/{action}", summary="签收、联系、退单、延期、答复")
    def unit_act(number: str, action: str, body: UnitAction, actor: Liaison) -> dict[str, Any]:
        fields = body.model_dump()
        done = service.run_command(
            lambda store: unit_desk.act(store, actor, number, action, fields)
        )
        return {"number": done, "message": unit_desk.ACTIONS[action]}

    return Guard(app, service.credentials.authenticate, service.credentials.known_device)
