"""Seats: registering one, and a copied seat taking an identity of its own."""

from typing import Any

from fastapi import APIRouter

from central.deps import Agent, Seat, Service
from central.schemas import DeviceRequest, RekeyRequest

router = APIRouter()


@router.post("/v1/devices", summary="注册座席（系统管理员或值班长）")
def register(body: DeviceRequest, registrar: Agent, service: Service) -> dict[str, Any]:
    return service.credentials.register_device(registrar, body.name, body.profile, body.device_id)


@router.post("/v1/devices/rekey", summary="复制或恢复的座席取得自己的新身份")
def rekey(body: RekeyRequest, seat: Seat, service: Service) -> dict[str, Any]:
    return service.credentials.rekey(seat, body.device_id)
