"""The central server's HTTP API (FastAPI): sync for seats, an API for handling units.

Every route but ``/v1/health`` and the OpenAPI description wants a bearer token: a
device's (sync) or an agent's (sessions, device registration, the unit API). Errors come
back as ``{"detail": "<Chinese message>"}`` with a fitting status, never as a stack trace.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from central.guard import Guard
from central.routes import devices, reference, sessions, sync, unit
from central.service import CentralService
from central.throttle import TooManyAttempts
from store import DomainError

log = logging.getLogger("hotline.central")

_STATUS = {
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "invalid_input": 422,
    "out_of_range": 400,
    "too_many": 429,
}


def create_app(service: CentralService) -> Guard:
    """The API over ``service``, behind the guard that authenticates before any body is
    read."""
    app = FastAPI(
        title="hotline 中心服务器",
        version="1",
        description="12345 热线座席同步与承办单位接口。",
    )
    app.state.service = service
    for part in (sessions, devices, sync, reference, unit):
        app.include_router(part.router)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _bad_request)
    app.add_exception_handler(Exception, _crash)
    return Guard(app, service.credentials.authenticate, service.credentials.known_device)


async def _domain_error(request: Request, error: DomainError) -> JSONResponse:
    status = _STATUS.get(error.code, 409)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(error, TooManyAttempts):
        headers = {"Retry-After": str(error.retry_after)}
    return JSONResponse({"detail": error.message}, status_code=status, headers=headers)


async def _bad_request(request: Request, error: RequestValidationError) -> JSONResponse:
    fields = "、".join(".".join(str(p) for p in e.get("loc", ())[1:]) for e in error.errors())
    return JSONResponse({"detail": f"请求格式错误：{fields or '请求体'}"}, status_code=422)


async def _crash(request: Request, error: Exception) -> JSONResponse:
    log.exception("unhandled error on %s", request.url.path)
    return JSONResponse({"detail": "中心服务器内部错误，已记录。"}, status_code=500)
