"""Health and agents' logins."""

from typing import Any

from fastapi import APIRouter, Request

from central.deps import Service
from central.schemas import LoginRequest

router = APIRouter()


@router.get("/v1/health", summary="服务是否在运行，是否培训用服务器（不需登录）")
def health(service: Service) -> dict[str, Any]:
    return {"status": "ok", "sandbox": service.sandbox}


@router.post("/v1/sessions", summary="工号登录，取得会话令牌")
def login(body: LoginRequest, request: Request, service: Service) -> dict[str, Any]:
    address = request.client.host if request.client else ""
    return service.credentials.login(body.agent_id, body.password, address)
