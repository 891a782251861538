"""EKS: access entries and their access policies; clusters read back with accessConfig and an OIDC issuer of their
own and a cluster security group; node groups with their updateConfig; node groups without
remote access read back without one (moto invents an ec2SshKey, which forces a replacement on every plan)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote

from moto.eks import urls
from moto.eks.models import Nodegroup
from moto.eks.responses import EKSResponse

from .core import NotFound, ValidationError, operation, store, wrap

# A principal ARN arrives with its slashes decoded; the operation is then found from the raw path.
urls.url_paths["{0}/clusters/(?P<name>[^/]+)/access-entries(?P<rest>.*)$"] = EKSResponse.dispatch

_original_nodegroup_init = Nodegroup.__init__


def _nodegroup_init(self: Any, *args: Any, **kwargs: Any) -> None:
    _original_nodegroup_init(self, *args, **kwargs)
    if not kwargs.get("remote_access"):
        self.remote_access = None


Nodegroup.__init__ = _nodegroup_init  # type: ignore[method-assign]


@wrap(EKSResponse, "create_cluster")
def _create_cluster(self: Any, original: Any) -> Any:
    result = original()
    cluster = result.result["cluster"]
    # moto draws one OIDC issuer per process, so every cluster has the same one (and a second cluster's IAM OIDC
    # provider collides with the first's: EntityAlreadyExists); AWS gives each cluster its own.
    cluster.identity = {"oidc": {"issuer": f"https://oidc.eks.{self.region}.amazonaws.com/id/{uuid.uuid4().hex.upper()}"}}
    # AWS creates a cluster security group and reports it in resourcesVpcConfig; moto reports none, so what
    # references vpc_config[0].cluster_security_group_id (a node group's launch template) reads null.
    from moto.ec2.models import ec2_backends

    ec2 = ec2_backends[self.current_account][self.region]
    vpc_config = dict(cluster.resources_vpc_config or {})
    subnets = vpc_config.get("subnetIds") or []
    if subnets and not vpc_config.get("clusterSecurityGroupId"):
        vpc_id = ec2.get_subnet(subnets[0]).vpc_id
        group = ec2.create_security_group(name=f"eks-cluster-sg-{cluster.name}-{uuid.uuid4().hex[:8]}", description="EKS created security group", vpc_id=vpc_id)
        cluster.resources_vpc_config = {**vpc_config, "clusterSecurityGroupId": group.id, "vpcId": vpc_id}
    access = self._get_param("accessConfig") or {}
    cluster.access_config = {
        "bootstrapClusterCreatorAdminPermissions": access.get("bootstrapClusterCreatorAdminPermissions", True),
        "authenticationMode": access.get("authenticationMode", "CONFIG_MAP"),
    }
    return result


def _backend(response: Any) -> Any:
    return response.eks_backend


def _entries(backend: Any, cluster: str) -> dict[str, dict[str, Any]]:
    if cluster not in backend.clusters:
        raise NotFound("ResourceNotFoundException", f"No cluster found for name: {cluster}.")
    return store(backend, "access_entries").setdefault(cluster, {})


def _entry(backend: Any, cluster: str, principal: str) -> dict[str, Any]:
    entries = _entries(backend, cluster)
    principal = unquote(principal)
    if principal not in entries:
        raise NotFound("ResourceNotFoundException", f"The specified principalArn could not be found: {principal}")
    return entries[principal]


def _now() -> datetime:
    return datetime.now(timezone.utc)


@operation(EKSResponse, "CreateAccessEntry", _backend)
def create_access_entry(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    cluster, principal = params["clusterName"], params["principalArn"]
    entries = _entries(backend, cluster)
    if principal in entries:
        raise ValidationError("ResourceInUseException", f"The specified access entry resource is already in use on this cluster: {principal}")
    kind = params.get("type") or "STANDARD"
    now = _now()
    entries[principal] = {
        "clusterName": cluster, "principalArn": principal, "kubernetesGroups": params.get("kubernetesGroups") or [],
        "accessEntryArn": f"arn:aws:eks:{backend.region_name}:{backend.account_id}:access-entry/{cluster}/role/{principal.split('/')[-1]}",
        "createdAt": now, "modifiedAt": now, "tags": params.get("tags") or {},
        "username": params.get("username") or principal, "type": kind, "_policies": {},
    }
    return {"accessEntry": _view(entries[principal])}


def _view(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if not k.startswith("_")}


@operation(EKSResponse, "DescribeAccessEntry", _backend)
def describe_access_entry(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return {"accessEntry": _view(_entry(backend, params["clusterName"], params["principalArn"]))}


@operation(EKSResponse, "ListAccessEntries", _backend)
def list_access_entries(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return {"accessEntries": list(_entries(backend, params["clusterName"]))}


@operation(EKSResponse, "UpdateAccessEntry", _backend)
def update_access_entry(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    entry = _entry(backend, params["clusterName"], params["principalArn"])
    for key in ("kubernetesGroups", "username"):
        if params.get(key) is not None:
            entry[key] = params[key]
    entry["modifiedAt"] = _now()
    return {"accessEntry": _view(entry)}


@operation(EKSResponse, "DeleteAccessEntry", _backend)
def delete_access_entry(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    entry = _entry(backend, params["clusterName"], params["principalArn"])
    del _entries(backend, params["clusterName"])[entry["principalArn"]]
    return {}


@operation(EKSResponse, "AssociateAccessPolicy", _backend)
def associate_access_policy(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    entry = _entry(backend, params["clusterName"], params["principalArn"])
    now = _now()
    policy = {"policyArn": params["policyArn"], "accessScope": params["accessScope"], "associatedAt": now, "modifiedAt": now}
    entry["_policies"][params["policyArn"]] = policy
    return {"clusterName": entry["clusterName"], "principalArn": entry["principalArn"], "associatedAccessPolicy": policy}


@operation(EKSResponse, "ListAssociatedAccessPolicies", _backend)
def list_associated_access_policies(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    entry = _entry(backend, params["clusterName"], params["principalArn"])
    return {"clusterName": entry["clusterName"], "principalArn": entry["principalArn"], "associatedAccessPolicies": list(entry["_policies"].values())}


@operation(EKSResponse, "DisassociateAccessPolicy", _backend)
def disassociate_access_policy(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    entry = _entry(backend, params["clusterName"], params["principalArn"])
    if unquote(params["policyArn"]) not in entry["_policies"]:
        raise NotFound("ResourceNotFoundException", f"Access policy {params['policyArn']} is not associated")
    del entry["_policies"][unquote(params["policyArn"])]
    return {}


@wrap(EKSResponse, "delete_cluster")
def _delete_cluster(self: Any, original: Any) -> Any:
    from moto.ec2.models import ec2_backends

    cluster = self.eks_backend.clusters.get(self._get_param("name"))
    group = (getattr(cluster, "resources_vpc_config", None) or {}).get("clusterSecurityGroupId")
    result = original()
    if group:
        ec2_backends[self.current_account][self.region].delete_security_group(group_id=group)
    return result


@wrap(EKSResponse, "create_nodegroup")
def _create_nodegroup(self: Any, original: Any) -> Any:
    # moto drops updateConfig on create (it keeps it only from UpdateNodegroupConfig); AWS defaults maxUnavailable 1.
    result = original()
    result.result["nodegroup"].update_config = self._get_param("updateConfig") or {"maxUnavailable": 1}
    return result
