"""EKS managed add-ons and Pod Identity associations, which moto lacks: Create/Describe/Update/Delete/ListAddons,
DescribeAddonVersions, DescribeUpdate (of add-on updates), Create/Describe/Update/Delete/ListPodIdentityAssociations,
and tags on both (TagResource, UntagResource, ListTagsForResource by ARN). Stateful, on the moto EKS backend of the
account/region; an add-on is ACTIVE as soon as it is created (there are no pods to wait for)."""

from __future__ import annotations

import random
import string
import uuid
from datetime import datetime, timezone
from typing import Any

from moto.eks import urls
from moto.eks.models import EKSBackend
from moto.eks.responses import EKSResponse

from .core import NotFound, ValidationError, operation, store, tags_map

for _path in (
    "{0}/clusters/(?P<name>[^/]+)/addons(?P<rest>.*)$",
    "{0}/clusters/(?P<name>[^/]+)/pod-identity-associations(?P<rest>.*)$",
    "{0}/clusters/(?P<name>[^/]+)/updates/(?P<updateId>[^/]+)$",
    "{0}/addons/supported-versions$",
):
    urls.url_paths[_path] = EKSResponse.dispatch

#: Versions DescribeAddonVersions lists per add-on (enough for a provider that looks one up).
SUPPORTED_VERSIONS = {
    "vpc-cni": ["v1.19.5-eksbuild.1"],
    "coredns": ["v1.12.1-eksbuild.2", "v1.11.4-eksbuild.2"],
    "kube-proxy": ["v1.33.0-eksbuild.2", "v1.32.0-eksbuild.2", "v1.31.3-eksbuild.2", "v1.30.9-eksbuild.3"],
    "aws-ebs-csi-driver": ["v1.44.0-eksbuild.1"],
    "eks-pod-identity-agent": ["v1.3.7-eksbuild.2"],
}


def _backend(response: Any) -> Any:
    return response.eks_backend


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _cluster(backend: Any, name: str) -> Any:
    if name not in backend.clusters:
        raise NotFound("ResourceNotFoundException", f"No cluster found for name: {name}.")
    return backend.clusters[name]


def _addons(backend: Any, cluster: str) -> dict[str, dict[str, Any]]:
    _cluster(backend, cluster)
    return store(backend, "addons").setdefault(cluster, {})


def _addon(backend: Any, cluster: str, name: str) -> dict[str, Any]:
    addons = _addons(backend, cluster)
    if name not in addons:
        raise NotFound("ResourceNotFoundException", f"No addon: {name} found in cluster: {cluster}")
    return addons[name]


def _associations(backend: Any, cluster: str) -> dict[str, dict[str, Any]]:
    _cluster(backend, cluster)
    return store(backend, "pod_identity_associations").setdefault(cluster, {})


def _association(backend: Any, cluster: str, association_id: str) -> dict[str, Any]:
    associations = _associations(backend, cluster)
    if association_id not in associations:
        raise NotFound("ResourceNotFoundException", f"Pod Identity Association {association_id} not found")
    return associations[association_id]


def _pod_identity_arns(backend: Any, cluster: str, given: Any) -> list[str]:
    # An add-on's podIdentityAssociations create associations of their own; the add-on lists their ARNs.
    arns = []
    for item in given or []:
        created = create_pod_identity_association(backend, {"clusterName": cluster, "namespace": "kube-system", **item}, None)
        arns.append(created["association"]["associationArn"])
    return arns


@operation(EKSResponse, "CreateAddon", _backend)
def create_addon(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    cluster, name = params["clusterName"], params["addonName"]
    addons = _addons(backend, cluster)
    if name in addons:
        raise ValidationError("ResourceInUseException", f"Addon already exists with name: {name} on cluster: {cluster}")
    version = params.get("addonVersion") or SUPPORTED_VERSIONS.get(name, ["v1.0.0-eksbuild.1"])[0]
    now = _now()
    addon = {
        "addonName": name, "clusterName": cluster, "status": "ACTIVE", "addonVersion": version, "health": {"issues": []},
        "addonArn": f"arn:aws:eks:{backend.region_name}:{backend.account_id}:addon/{cluster}/{name}/{uuid.uuid4()}",
        "createdAt": now, "modifiedAt": now, "tags": tags_map(params.get("tags")), "publisher": "eks", "owner": "aws",
        "podIdentityAssociations": _pod_identity_arns(backend, cluster, params.get("podIdentityAssociations")),
    }
    for key in ("serviceAccountRoleArn", "configurationValues", "namespaceConfig"):
        if params.get(key) is not None:
            addon[key] = params[key]
    addons[name] = addon
    return {"addon": addon}


@operation(EKSResponse, "DescribeAddon", _backend)
def describe_addon(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return {"addon": _addon(backend, params["clusterName"], params["addonName"])}


@operation(EKSResponse, "ListAddons", _backend)
def list_addons(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return {"addons": sorted(_addons(backend, params["clusterName"]))}


@operation(EKSResponse, "UpdateAddon", _backend)
def update_addon(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    addon = _addon(backend, params["clusterName"], params["addonName"])
    changed = []
    for key in ("addonVersion", "serviceAccountRoleArn", "configurationValues"):
        if params.get(key) is not None:
            addon[key] = params[key]
            changed.append({"type": {"addonVersion": "AddonVersion", "serviceAccountRoleArn": "ServiceAccountRoleArn", "configurationValues": "ConfigurationValues"}[key], "value": str(params[key])})
    if params.get("podIdentityAssociations") is not None:
        addon["podIdentityAssociations"] = _pod_identity_arns(backend, params["clusterName"], params["podIdentityAssociations"])
    addon["modifiedAt"] = _now()
    update = {"id": str(uuid.uuid4()), "status": "Successful", "type": "AddonUpdate", "params": changed, "createdAt": addon["modifiedAt"], "errors": []}
    store(backend, "addon_updates")[update["id"]] = update
    return {"update": update}


@operation(EKSResponse, "DescribeUpdate", _backend)
def describe_update(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    update = store(backend, "addon_updates").get(params["updateId"])
    if update is None:
        raise NotFound("ResourceNotFoundException", f"No update found for ID: {params['updateId']}")
    return {"update": update}


@operation(EKSResponse, "DeleteAddon", _backend)
def delete_addon(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    addon = _addon(backend, params["clusterName"], params["addonName"])
    del _addons(backend, params["clusterName"])[addon["addonName"]]
    return {"addon": {**addon, "status": "DELETING"}}


@operation(EKSResponse, "DescribeAddonVersions", _backend)
def describe_addon_versions(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    names = [params["addonName"]] if params.get("addonName") else sorted(SUPPORTED_VERSIONS)
    kubernetes = params.get("kubernetesVersion")
    out = []
    for name in names:
        versions = SUPPORTED_VERSIONS.get(name, [])
        if name == "kube-proxy" and kubernetes:
            versions = [v for v in versions if v.startswith(f"v{kubernetes}.")]
        out.append({
            "addonName": name, "type": "networking" if name in ("vpc-cni", "coredns", "kube-proxy") else "storage" if name == "aws-ebs-csi-driver" else "security",
            "publisher": "eks", "owner": "aws",
            "addonVersions": [
                {"addonVersion": v, "architecture": ["amd64", "arm64"], "compatibilities": [{"clusterVersion": kubernetes or "1.33", "platformVersions": ["*"], "defaultVersion": i == 0}], "requiresConfiguration": False}
                for i, v in enumerate(versions)
            ],
        })
    return {"addons": out}


def _association_id() -> str:
    return "a-" + "".join(random.choices(string.ascii_lowercase + string.digits, k=17))


@operation(EKSResponse, "CreatePodIdentityAssociation", _backend)
def create_pod_identity_association(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    cluster = params["clusterName"]
    associations = _associations(backend, cluster)
    for existing in associations.values():
        if (existing["namespace"], existing["serviceAccount"]) == (params["namespace"], params["serviceAccount"]):
            raise ValidationError("ResourceInUseException", f"Association already exists: {existing['associationId']}")
    association_id = _association_id()
    now = _now()
    association = {
        "clusterName": cluster, "namespace": params["namespace"], "serviceAccount": params["serviceAccount"], "roleArn": params["roleArn"],
        "associationArn": f"arn:aws:eks:{backend.region_name}:{backend.account_id}:podidentityassociation/{cluster}/{association_id}",
        "associationId": association_id, "tags": tags_map(params.get("tags")), "createdAt": now, "modifiedAt": now,
        "disableSessionTags": bool(params.get("disableSessionTags", False)),
    }
    if params.get("targetRoleArn"):
        association["targetRoleArn"] = params["targetRoleArn"]
        association["externalId"] = str(uuid.uuid4())
    if params.get("policy"):
        association["policy"] = params["policy"]
    associations[association_id] = association
    return {"association": association}


@operation(EKSResponse, "DescribePodIdentityAssociation", _backend)
def describe_pod_identity_association(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return {"association": _association(backend, params["clusterName"], params["associationId"])}


@operation(EKSResponse, "UpdatePodIdentityAssociation", _backend)
def update_pod_identity_association(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    association = _association(backend, params["clusterName"], params["associationId"])
    for key in ("roleArn", "disableSessionTags", "targetRoleArn", "policy"):
        if params.get(key) is not None:
            association[key] = params[key]
    association["modifiedAt"] = _now()
    return {"association": association}


@operation(EKSResponse, "DeletePodIdentityAssociation", _backend)
def delete_pod_identity_association(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    association = _association(backend, params["clusterName"], params["associationId"])
    del _associations(backend, params["clusterName"])[association["associationId"]]
    return {"association": association}


@operation(EKSResponse, "ListPodIdentityAssociations", _backend)
def list_pod_identity_associations(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    summaries = [
        {k: a[k] for k in ("clusterName", "namespace", "serviceAccount", "associationArn", "associationId")}
        for a in _associations(backend, params["clusterName"]).values()
        if params.get("namespace") in (None, a["namespace"]) and params.get("serviceAccount") in (None, a["serviceAccount"])
    ]
    return {"associations": summaries}


def _tagged(backend: Any, arn: str) -> dict[str, Any] | None:
    """The add-on or association of this ARN (moto tags clusters only)."""
    for cluster in store(backend, "addons").values():
        for addon in cluster.values():
            if addon["addonArn"] == arn:
                return addon
    for cluster in store(backend, "pod_identity_associations").values():
        for association in cluster.values():
            if association["associationArn"] == arn:
                return association
    return None


_original_tag = EKSBackend.tag_resource
_original_untag = EKSBackend.untag_resource
_original_list_tags = EKSBackend.list_tags_for_resource


def _tag_resource(self: Any, resource_arn: str, tags: dict[str, str]) -> None:
    item = _tagged(self, resource_arn)
    if item is None:
        return _original_tag(self, resource_arn, tags)
    item["tags"].update(tags)


def _untag_resource(self: Any, resource_arn: str, tag_keys: list[str]) -> None:
    item = _tagged(self, resource_arn)
    if item is None:
        return _original_untag(self, resource_arn, tag_keys)
    for key in tag_keys if isinstance(tag_keys, list) else [tag_keys]:
        item["tags"].pop(key, None)


def _list_tags(self: Any, resource_arn: str) -> dict[str, str]:
    item = _tagged(self, resource_arn)
    return _original_list_tags(self, resource_arn) if item is None else dict(item["tags"])


EKSBackend.tag_resource = _tag_resource  # type: ignore[method-assign]
EKSBackend.untag_resource = _untag_resource  # type: ignore[method-assign]
EKSBackend.list_tags_for_resource = _list_tags  # type: ignore[method-assign]
