"""The seats' sync: push, pull, ticket-number leases."""

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from central.deps import Seat, Service
from central.schemas import LeaseRequest, PullRequest, PushRequest

router = APIRouter()


@router.post("/v1/sync/push", summary="提交本座席的登录凭证和未发送的事件")
def push(body: PushRequest, seat: Seat, service: Service) -> dict[str, Any]:
    return service.push(seat, body.events, body.sign_ins)


@router.post("/v1/sync/pull", summary="按游标拉取本座席可读事件流的新事件")
async def pull(body: PullRequest, seat: Seat, service: Service) -> Response:
    # Most pulls are answered from memory on the event loop; the rest go to a thread.
    page = service.pull_from_memory(seat, body.cursors, body.limit)
    if page is None:
        page = await run_in_threadpool(service.pull, seat, body.cursors, body.limit)
    return Response(page.to_json(), media_type="application/json")


@router.post("/v1/numbers/lease", summary="申请一段工单号")
def lease(body: LeaseRequest, seat: Seat, service: Service) -> dict[str, Any]:
    return service.lease(seat, body.day, body.count)
