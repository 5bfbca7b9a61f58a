"""What the routes depend on: the service, and who is calling (a seat's device or an agent).

No ``from __future__ import annotations`` here or in the routes: FastAPI reads these
annotations at run time.
"""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from central.credentials import Device, Unauthorized, require_agent, require_device
from central.service import CentralService
from store import Actor, Role

_bearer = HTTPBearer(auto_error=False)


def _service(request: Request) -> CentralService:
    return request.app.state.service


Service = Annotated[CentralService, Depends(_service)]


async def _principal(
    request: Request,
    service: Service,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Device | Actor:
    # The guard (central/guard.py) authenticated the caller before the body was read.
    found = getattr(request.state, "principal", None)
    if found is not None:
        return found
    if credentials is None:
        raise Unauthorized("缺少登录凭据（Authorization: Bearer …）。")
    return await run_in_threadpool(service.credentials.authenticate, credentials.credentials)


Who = Annotated[Device | Actor, Depends(_principal)]


async def _device(who: Who) -> Device:
    return require_device(who)


async def _agent(who: Who) -> Actor:
    return require_agent(who)


async def _liaison(who: Who) -> Actor:
    return require_agent(who, Role.LIAISON)


Seat = Annotated[Device, Depends(_device)]
Agent = Annotated[Actor, Depends(_agent)]
Liaison = Annotated[Actor, Depends(_liaison)]
