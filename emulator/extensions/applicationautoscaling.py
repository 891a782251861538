"""Application Auto Scaling: tags on scalable targets (ListTagsForResource, TagResource, UntagResource).

moto 5.2.1 gives scalable targets an ARN but keeps no tags, so the provider's read of a target fails.
"""

from __future__ import annotations

import json
from typing import Any

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse

from .core import NotFound, operation, store, tags_map, wrap


def _backend(response: Any) -> Any:
    return response.applicationautoscaling_backend


def _arns(backend: Any) -> set[str]:
    return {t.arn for by_id in backend.targets.values() for t in by_id.values()}


def _tags(backend: Any, arn: str) -> dict[str, str]:
    if arn not in _arns(backend):
        raise NotFound("ResourceNotFoundException", f"No scalable target found for ARN {arn}")
    return store(backend, "tags").setdefault(arn, {})


@wrap(ApplicationAutoScalingResponse, "register_scalable_target")
def _register(self: Any, original: Any) -> Any:
    body = original()
    tags = self._get_param("Tags")
    if tags:
        arn = json.loads(body)["ScalableTargetARN"]
        store(self.applicationautoscaling_backend, "tags").setdefault(arn, {}).update(tags_map(tags))
    return body


@wrap(ApplicationAutoScalingResponse, "deregister_scalable_target")
def _deregister(self: Any, original: Any) -> Any:
    backend = self.applicationautoscaling_backend
    before = _arns(backend)
    body = original()
    for arn in before - _arns(backend):
        store(backend, "tags").pop(arn, None)
    return body


@operation(ApplicationAutoScalingResponse, "ListTagsForResource", _backend)
def list_tags_for_resource(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return {"Tags": dict(_tags(backend, params["ResourceARN"]))}


@operation(ApplicationAutoScalingResponse, "TagResource", _backend)
def tag_resource(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    _tags(backend, params["ResourceARN"]).update(tags_map(params["Tags"]))
    return {}


@operation(ApplicationAutoScalingResponse, "UntagResource", _backend)
def untag_resource(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    tags = _tags(backend, params["ResourceARN"])
    for key in params["TagKeys"]:
        tags.pop(key, None)
    return {}
