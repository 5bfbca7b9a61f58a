"""The handling units' API: a liaison's tickets and actions (store.services.liaison)."""

from typing import Any

from fastapi import APIRouter

from central.deps import Liaison, Service
from central.schemas import UnitAction
from store.services import liaison

router = APIRouter()


@router.get("/v1/unit/tickets", summary="本单位待办工单")
def unit_list(actor: Liaison, service: Service) -> dict[str, Any]:
    return {"tickets": service.read(lambda store: liaison.my_tickets(store, actor))}


@router.get("/v1/unit/tickets/{number}", summary="查看本单位的一张工单")
def unit_show(number: str, actor: Liaison, service: Service) -> dict[str, Any]:
    return service.read(lambda store: liaison.ticket_view(store, actor, number))


@router.post("/v1/unit/tickets/{number}/{action}", summary="签收、联系、退单、延期、答复")
def unit_act(
    number: str, action: str, body: UnitAction, actor: Liaison, service: Service
) -> dict[str, Any]:
    fields = body.model_dump()
    done = service.run_command(lambda store: liaison.act(store, actor, number, action, fields))
    return {"number": done, "message": liaison.ACTIONS[action]}
