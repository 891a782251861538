"""X-Ray: sampling rules (Create/Get/Update/Delete) and tags on them."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from moto.xray import urls
from moto.xray.responses import XRayResponse

from .core import NotFound, ValidationError, operation, store, tags_list, tags_map

for _op in ("CreateSamplingRule", "GetSamplingRules", "UpdateSamplingRule", "DeleteSamplingRule", "ListTagsForResource", "TagResource", "UntagResource"):
    urls.url_paths[f"{{0}}/{_op}$"] = XRayResponse.dispatch


def _backend(response: Any) -> Any:
    return response.xray_backend


def _rules(backend: Any) -> dict[str, dict[str, Any]]:
    return store(backend, "sampling_rules")


def _find(backend: Any, name: str | None = None, arn: str | None = None) -> dict[str, Any]:
    for record in _rules(backend).values():
        rule = record["SamplingRule"]
        if (name and rule["RuleName"] == name) or (arn and rule["RuleARN"] == arn):
            return record
    raise NotFound("InvalidRequestException", f"Sampling rule {name or arn} does not exist")


def _now() -> datetime:
    return datetime.now(timezone.utc)


@operation(XRayResponse, "CreateSamplingRule", _backend)
def create_sampling_rule(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    rule = dict(params["SamplingRule"])
    name = rule.get("RuleName")
    if not name:
        raise ValidationError("InvalidRequestException", "RuleName is required")
    if name in _rules(backend):
        raise ValidationError("RuleLimitExceededException", f"Sampling rule {name} already exists")
    rule["RuleARN"] = f"arn:aws:xray:{backend.region_name}:{backend.account_id}:sampling-rule/{name}"
    rule.setdefault("Attributes", {})
    now = _now()
    _rules(backend)[name] = {"SamplingRule": rule, "CreatedAt": now, "ModifiedAt": now}
    store(backend, "tags")[rule["RuleARN"]] = tags_map(params.get("Tags"))
    return {"SamplingRuleRecord": _rules(backend)[name]}


@operation(XRayResponse, "GetSamplingRules", _backend)
def get_sampling_rules(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return {"SamplingRuleRecords": list(_rules(backend).values())}


@operation(XRayResponse, "UpdateSamplingRule", _backend)
def update_sampling_rule(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    update = params["SamplingRuleUpdate"]
    record = _find(backend, update.get("RuleName"), update.get("RuleARN"))
    record["SamplingRule"].update({k: v for k, v in update.items() if k not in ("RuleName", "RuleARN")})
    record["ModifiedAt"] = _now()
    return {"SamplingRuleRecord": record}


@operation(XRayResponse, "DeleteSamplingRule", _backend)
def delete_sampling_rule(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    record = _find(backend, params.get("RuleName"), params.get("RuleARN"))
    del _rules(backend)[record["SamplingRule"]["RuleName"]]
    store(backend, "tags").pop(record["SamplingRule"]["RuleARN"], None)
    return {"SamplingRuleRecord": record}


def _tags(backend: Any, arn: str) -> dict[str, str]:
    tags = store(backend, "tags")
    if arn not in tags:
        raise NotFound("ResourceNotFoundException", f"Resource {arn} not found")
    return tags[arn]


@operation(XRayResponse, "ListTagsForResource", _backend)
def list_tags_for_resource(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return {"Tags": tags_list(_tags(backend, params["ResourceARN"]))}


@operation(XRayResponse, "TagResource", _backend)
def tag_resource(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    _tags(backend, params["ResourceARN"]).update(tags_map(params["Tags"]))
    return {}


@operation(XRayResponse, "UntagResource", _backend)
def untag_resource(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    tags = _tags(backend, params["ResourceARN"])
    for key in params["TagKeys"]:
        tags.pop(key, None)
    return {}
