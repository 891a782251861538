"""EFS: PutBackupPolicy (and DescribeBackupPolicy reading it back), DeleteFileSystemPolicy."""

from __future__ import annotations

from typing import Any

from moto.efs.responses import EFSResponse

from .core import NotFound, ValidationError, operation, store


def _backend(response: Any) -> Any:
    return response.efs_backend


def _file_system(backend: Any, fs_id: str) -> Any:
    if fs_id not in backend.file_systems_by_id:
        raise NotFound("FileSystemNotFound", f"File system '{fs_id}' does not exist.")
    return backend.file_systems_by_id[fs_id]


@operation(EFSResponse, "PutBackupPolicy", _backend)
def put_backup_policy(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    fs = _file_system(backend, params["FileSystemId"])
    status = params["BackupPolicy"]["Status"]
    if status not in ("ENABLED", "DISABLED"):
        raise ValidationError("ValidationException", f"Invalid backup policy status {status}")
    fs._backup = status == "ENABLED"
    store(backend, "backup_policies")[fs.file_system_id] = status
    return {"BackupPolicy": {"Status": status}}


@operation(EFSResponse, "DescribeBackupPolicy", _backend)
def describe_backup_policy(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    fs = _file_system(backend, params["FileSystemId"])
    status = store(backend, "backup_policies").get(fs.file_system_id)
    if status is None:
        if not fs._backup:
            raise NotFound("PolicyNotFound", "None")
        status = "ENABLED"
    return {"BackupPolicy": {"Status": status}}


@operation(EFSResponse, "DeleteFileSystemPolicy", _backend)
def delete_file_system_policy(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    fs = _file_system(backend, params["FileSystemId"])
    fs.file_system_policy = None
    return {}
