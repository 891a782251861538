"""AWS Backup: backup selections (Create/Get/List/Delete) of a backup plan; ListTags on a path without a trailing slash."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote

from moto.backup.responses import BackupResponse

from .core import REGISTERED, NotFound, operation, store


def _backend(response: Any) -> Any:
    return response.backup_backend


def _plan_selections(backend: Any, plan_id: str) -> dict[str, dict[str, Any]]:
    if plan_id not in backend.plans or getattr(backend.plans[plan_id], "deletion_date", None):
        raise NotFound("ResourceNotFoundException", f"Failed reading backup plan {plan_id}")
    return store(backend, "selections").setdefault(plan_id, {})


def _selection(backend: Any, plan_id: str, selection_id: str) -> dict[str, Any]:
    selections = _plan_selections(backend, plan_id)
    if selection_id not in selections:
        raise NotFound("ResourceNotFoundException", f"Failed reading backup selection {selection_id}")
    return selections[selection_id]


@operation(BackupResponse, "CreateBackupSelection", _backend)
def create_backup_selection(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    plan_id = params["BackupPlanId"]
    selections = _plan_selections(backend, plan_id)
    selection_id = str(uuid.uuid4())
    selections[selection_id] = {
        "SelectionId": selection_id, "BackupPlanId": plan_id, "BackupSelection": params["BackupSelection"],
        "CreationDate": datetime.now(timezone.utc), "CreatorRequestId": params.get("CreatorRequestId"),
    }
    return {"SelectionId": selection_id, "BackupPlanId": plan_id, "CreationDate": selections[selection_id]["CreationDate"]}


@operation(BackupResponse, "GetBackupSelection", _backend)
def get_backup_selection(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return {k: v for k, v in _selection(backend, params["BackupPlanId"], params["SelectionId"]).items() if v is not None}


@operation(BackupResponse, "ListBackupSelections", _backend)
def list_backup_selections(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return {"BackupSelectionsList": [
        {"SelectionId": s["SelectionId"], "SelectionName": s["BackupSelection"]["SelectionName"], "BackupPlanId": s["BackupPlanId"],
         "CreationDate": s["CreationDate"], "IamRoleArn": s["BackupSelection"]["IamRoleArn"]}
        for s in _plan_selections(backend, params["BackupPlanId"]).values()
    ]}


@operation(BackupResponse, "DeleteBackupSelection", _backend)
def delete_backup_selection(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    _selection(backend, params["BackupPlanId"], params["SelectionId"])
    del _plan_selections(backend, params["BackupPlanId"])[params["SelectionId"]]
    return {}


def _list_tags(self: Any) -> str:
    # moto reads the ARN as the next-to-last path segment, which only works with a trailing slash; the Go SDK
    # (hence the provider) sends /tags/<arn> without one, so every ListTags came back empty.
    arn = unquote(self.path.split("/tags/", 1)[1].rstrip("/"))
    return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=arn)})


BackupResponse.list_tags = _list_tags  # type: ignore[method-assign]
REGISTERED.append(("BackupResponse", "ListTags (read-back)"))
