"""ElastiCache: member clusters of a replication group, cache parameter groups, user groups,
DeleteCacheSubnetGroup, and replication groups that finish deleting."""

from __future__ import annotations

import re
from typing import Any

from moto.elasticache.models import ElastiCacheBackend
from moto.elasticache.responses import ElastiCacheResponse

from .core import NotFound, ValidationError, operation, store, wrap

_original_init = ElastiCacheBackend.__init__


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    _original_init(self, *args, **kwargs)
    # Tags on the types this extension adds.
    self.arn_regex = re.compile(r"^arn:aws:elasticache:.*:[0-9]*:(cluster|snapshot|subnetgroup|replicationgroup|user|parametergroup|usergroup):.*$")


ElastiCacheBackend.__init__ = _init  # type: ignore[method-assign]


def _backend(response: Any) -> Any:
    return response.elasticache_backend


def _arn(backend: Any, kind: str, name: str) -> str:
    return f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:{kind}:{name}"


# --- member clusters -------------------------------------------------------------------------------------------

def _member_cluster(backend: Any, group: Any, cluster_id: str) -> dict[str, Any]:
    index = group.member_clusters.index(cluster_id)
    zone = f"{backend.region_name}{'abc'[index % 3]}"
    return {
        "CacheClusterId": cluster_id,
        "ARN": _arn(backend, "cluster", cluster_id),
        "ReplicationGroupId": group.replication_group_id,
        "CacheClusterStatus": "available",
        "CacheNodeType": group.cache_node_type,
        "Engine": group.engine,
        "EngineVersion": group.engine_version or "7.1",
        "NumCacheNodes": 1,
        "PreferredAvailabilityZone": zone,
        "CacheSubnetGroupName": group.cache_subnet_group_name,
        "CacheParameterGroup": {"CacheParameterGroupName": group.cache_parameter_group_name or "default.redis7", "ParameterApplyStatus": "in-sync", "CacheNodeIdsToReboot": []},
        "SecurityGroups": [{"SecurityGroupId": sg, "Status": "active"} for sg in (group.security_group_ids or [])],
        "CacheNodes": [{
            "CacheNodeId": "0001",
            "CacheNodeStatus": "available",
            "Endpoint": {"Address": f"{cluster_id}.{backend.region_name}.cache.amazonaws.com", "Port": group.port},
            "CustomerAvailabilityZone": zone,
        }],
        "TransitEncryptionEnabled": group.transit_encryption_enabled,
        "AtRestEncryptionEnabled": group.at_rest_encryption_enabled,
        "AuthTokenEnabled": group.auth_token_enabled,
        "SnapshotRetentionLimit": group.snapshot_retention_limit,
        "SnapshotWindow": group.snapshot_window,
        "PreferredMaintenanceWindow": group.preferred_maintenance_window or "sun:05:00-sun:06:00",
        "NetworkType": group.network_type,
        "AutoMinorVersionUpgrade": group.auto_minor_version_upgrade,
        "TransitEncryptionMode": group.transit_encryption_mode,
        "IpDiscovery": group.ip_discovery,
    }


def _members(backend: Any) -> dict[str, Any]:
    return {m: g for g in backend.replication_groups.values() if g.status != "deleting" for m in g.member_clusters}


@wrap(ElastiCacheResponse, "describe_cache_clusters")
def _describe_cache_clusters(self: Any, original: Any) -> Any:
    backend = self.elasticache_backend
    wanted = self._get_param("CacheClusterId")
    members = _members(backend)
    if wanted and wanted not in backend.cache_clusters and wanted in members:
        return _result({"CacheClusters": [_member_cluster(backend, members[wanted], wanted)]})
    result = original()
    if not wanted:
        result.result["CacheClusters"] = list(result.result["CacheClusters"]) + [_member_cluster(backend, g, m) for m, g in members.items() if m not in backend.cache_clusters]
    return result


def _result(value: dict[str, Any]) -> Any:
    from moto.core.responses import ActionResult

    return ActionResult(value)


@wrap(ElastiCacheResponse, "describe_replication_groups")
def _describe_replication_groups(self: Any, original: Any) -> Any:
    # moto marks a deleted group "deleting" and keeps it forever; AWS removes it.
    backend = self.elasticache_backend
    for gid in [g for g, v in backend.replication_groups.items() if v.status == "deleting"]:
        backend.replication_groups.pop(gid)
    return original()


# --- subnet groups ---------------------------------------------------------------------------------------------

@operation(ElastiCacheResponse, "DeleteCacheSubnetGroup", _backend)
def delete_cache_subnet_group(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    name = params["CacheSubnetGroupName"]
    if name not in backend.cache_subnet_groups:
        raise NotFound("CacheSubnetGroupNotFoundFault", f"CacheSubnetGroup {name} not found.")
    in_use = [g for g in backend.replication_groups.values() if g.cache_subnet_group_name == name and g.status != "deleting"]
    if in_use:
        raise ValidationError("CacheSubnetGroupInUse", f"Cache subnet group {name} is in use by {in_use[0].replication_group_id}.")
    del backend.cache_subnet_groups[name]
    return {}


# --- parameter groups ------------------------------------------------------------------------------------------

def _parameter_group(backend: Any, name: str) -> dict[str, Any]:
    groups = store(backend, "parameter_groups")
    if name not in groups:
        raise NotFound("CacheParameterGroupNotFound", f"CacheParameterGroup {name} not found.")
    return groups[name]


def _group_view(group: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in group.items() if k != "Parameters"}


@operation(ElastiCacheResponse, "CreateCacheParameterGroup", _backend)
def create_cache_parameter_group(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    groups = store(backend, "parameter_groups")
    name = params["CacheParameterGroupName"]
    if name in groups:
        raise ValidationError("CacheParameterGroupAlreadyExists", f"Parameter group {name} already exists.")
    arn = _arn(backend, "parametergroup", name)
    groups[name] = {
        "CacheParameterGroupName": name,
        "CacheParameterGroupFamily": params["CacheParameterGroupFamily"],
        "Description": params["Description"],
        "IsGlobal": False,
        "ARN": arn,
        "Parameters": {},
    }
    if params.get("Tags"):
        backend.tagging_service.tag_resource(arn, params["Tags"])
    return {"CacheParameterGroup": _group_view(groups[name])}


@operation(ElastiCacheResponse, "DescribeCacheParameterGroups", _backend)
def describe_cache_parameter_groups(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    name = params.get("CacheParameterGroupName")
    groups = [_parameter_group(backend, name)] if name else list(store(backend, "parameter_groups").values())
    return {"CacheParameterGroups": [_group_view(g) for g in groups]}


@operation(ElastiCacheResponse, "ModifyCacheParameterGroup", _backend)
def modify_cache_parameter_group(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    group = _parameter_group(backend, params["CacheParameterGroupName"])
    for p in params["ParameterNameValues"]:
        group["Parameters"][p["ParameterName"]] = p.get("ParameterValue")
    return {"CacheParameterGroupName": group["CacheParameterGroupName"]}


@operation(ElastiCacheResponse, "ResetCacheParameterGroup", _backend)
def reset_cache_parameter_group(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    group = _parameter_group(backend, params["CacheParameterGroupName"])
    if params.get("ResetAllParameters"):
        group["Parameters"].clear()
    for p in params.get("ParameterNameValues") or []:
        group["Parameters"].pop(p["ParameterName"], None)
    return {"CacheParameterGroupName": group["CacheParameterGroupName"]}


@operation(ElastiCacheResponse, "DescribeCacheParameters", _backend)
def describe_cache_parameters(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    group = _parameter_group(backend, params["CacheParameterGroupName"])
    source = params.get("Source")
    if source not in (None, "user"):
        return {"Parameters": []}
    return {"Parameters": [
        {"ParameterName": k, "ParameterValue": v, "Source": "user", "DataType": "string", "IsModifiable": True, "ChangeType": "immediate"}
        for k, v in group["Parameters"].items()
    ]}


@operation(ElastiCacheResponse, "DeleteCacheParameterGroup", _backend)
def delete_cache_parameter_group(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    name = params["CacheParameterGroupName"]
    _parameter_group(backend, name)
    del store(backend, "parameter_groups")[name]
    return {}


# --- user groups -----------------------------------------------------------------------------------------------

def _user_group(backend: Any, gid: str) -> dict[str, Any]:
    groups = store(backend, "user_groups")
    if gid not in groups:
        raise NotFound("UserGroupNotFound", f"User group {gid} not found.")
    return groups[gid]


def _check_users(backend: Any, ids: list[str]) -> None:
    for uid in ids:
        if uid not in backend.users:
            raise NotFound("UserNotFound", f"User {uid} not found.")


@operation(ElastiCacheResponse, "CreateUserGroup", _backend)
def create_user_group(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    groups = store(backend, "user_groups")
    gid = params["UserGroupId"]
    if gid in groups:
        raise ValidationError("UserGroupAlreadyExists", f"User group {gid} already exists.")
    users = list(params.get("UserIds") or [])
    _check_users(backend, users)
    arn = _arn(backend, "usergroup", gid)
    groups[gid] = {
        "UserGroupId": gid, "Status": "active", "Engine": params["Engine"], "UserIds": users,
        "MinimumEngineVersion": "6.0", "ReplicationGroups": [], "ServerlessCaches": [], "ARN": arn,
    }
    if params.get("Tags"):
        backend.tagging_service.tag_resource(arn, params["Tags"])
    return groups[gid]


@operation(ElastiCacheResponse, "DescribeUserGroups", _backend)
def describe_user_groups(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    gid = params.get("UserGroupId")
    groups = [_user_group(backend, gid)] if gid else list(store(backend, "user_groups").values())
    for g in groups:
        g["ReplicationGroups"] = [r.replication_group_id for r in backend.replication_groups.values() if g["UserGroupId"] in (r.user_group_ids or [])]
    return {"UserGroups": groups}


@operation(ElastiCacheResponse, "ModifyUserGroup", _backend)
def modify_user_group(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    group = _user_group(backend, params["UserGroupId"])
    add = list(params.get("UserIdsToAdd") or [])
    _check_users(backend, add)
    remove = set(params.get("UserIdsToRemove") or [])
    group["UserIds"] = [u for u in group["UserIds"] if u not in remove] + [u for u in add if u not in group["UserIds"]]
    return group


@operation(ElastiCacheResponse, "DeleteUserGroup", _backend)
def delete_user_group(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    gid = params["UserGroupId"]
    group = dict(_user_group(backend, gid), Status="deleting")
    del store(backend, "user_groups")[gid]
    return group




@wrap(ElastiCacheResponse, "create_replication_group")
def _create_replication_group(self: Any, original: Any) -> Any:
    # moto creates one member cluster whatever NumCacheClusters says; AWS creates NumCacheClusters of them.
    result = original()
    group = result.result["ReplicationGroup"]
    wanted = int(self._get_param("NumCacheClusters") or 0)
    if group.cluster_mode != "enabled" and wanted > len(group.member_clusters):
        for i in range(len(group.member_clusters) + 1, wanted + 1):
            group.member_clusters.append(f"{group.replication_group_id}-{i:03d}")
    return result
