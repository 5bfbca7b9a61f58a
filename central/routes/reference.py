"""Reference data changed online, as the agent logged in here (store.services.reference)."""

from typing import Any

from fastapi import APIRouter

from central.deps import Agent, Service
from central.schemas import ReferenceRequest
from store.services import reference

router = APIRouter()


@router.post("/v1/reference/{command}", summary="目录、配置、派单目录和知识库的修改（联网办理）")
def reference_change(
    command: str, body: ReferenceRequest, actor: Agent, service: Service
) -> dict[str, Any]:
    result = service.run_command(lambda store: reference.execute(store, actor, command, body.args))
    return {"result": result}
