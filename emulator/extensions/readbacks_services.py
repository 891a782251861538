"""Read-backs behind perpetual diffs: values moto accepts but does not return.

- ECS services: availabilityZoneRebalancing, enableECSManagedTags, healthCheckGracePeriodSeconds,
  enableExecuteCommand (DescribeServices omits them);
- KMS keys: RotationPeriodInDays of EnableKeyRotation (GetKeyRotationStatus omits it);
- S3 buckets: EventBridgeConfiguration of a notification configuration (GetBucketNotificationConfiguration omits it);
- EC2 security group rules that reference a group: their Description (DescribeSecurityGroupRules omits it).
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.models.security_groups import SecurityGroupRule
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.kms.responses import KmsResponse
from moto.s3.responses import S3Response

from .core import wrap

_ECS_FIELDS = {
    "availabilityZoneRebalancing": "availability_zone_rebalancing",
    "enableECSManagedTags": "enable_ecs_managed_tags",
    "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "enableExecuteCommand": "enable_execute_command",
}


def _copy_ecs_fields(self: Any, service: Any, defaults: bool) -> None:
    for param, attr in _ECS_FIELDS.items():
        value = self._get_param(param)
        if value is not None:
            setattr(service, attr, value)
        elif defaults and not hasattr(service, attr):
            setattr(service, attr, {"availabilityZoneRebalancing": "DISABLED", "enableECSManagedTags": False, "enableExecuteCommand": False}.get(param))


@wrap(EC2ContainerServiceResponse, "create_service")
def _create_service(self: Any, original: Any) -> Any:
    result = original()
    _copy_ecs_fields(self, result.result["service"], defaults=True)
    return result


@wrap(EC2ContainerServiceResponse, "update_service")
def _update_service(self: Any, original: Any) -> Any:
    result = original()
    _copy_ecs_fields(self, result.result["service"], defaults=False)
    return result


@wrap(KmsResponse, "enable_key_rotation")
def _enable_key_rotation(self: Any, original: Any) -> Any:
    body = original()
    key = self.kms_backend.keys[self.kms_backend.get_key_id(self._get_param("KeyId"))]
    key.rotation_period_in_days = int(self._get_param("RotationPeriodInDays") or 365)
    return body


@wrap(KmsResponse, "get_key_rotation_status")
def _get_key_rotation_status(self: Any, original: Any) -> Any:
    result = json.loads(original())
    key = self.kms_backend.keys[self.kms_backend.get_key_id(self._get_param("KeyId"))]
    result["KeyId"] = key.id
    if result.get("KeyRotationEnabled"):
        result["RotationPeriodInDays"] = getattr(key, "rotation_period_in_days", 365)
    return json.dumps(result)


@wrap(S3Response, "get_bucket_notification")
def _get_bucket_notification(self: Any, original: Any) -> Any:
    config = self.backend.get_bucket_notification_configuration(self.bucket_name)
    if not config or config.event_bridge is None:
        return original()

    def build(item: Any, arn_key: str) -> dict[str, Any]:
        out: dict[str, Any] = {"Id": item.id, arn_key: item.arn, "Events": item.events}
        if item.filters:
            out["Filter"] = {"Key": {"FilterRules": item.filters["S3Key"]["FilterRule"]}}
        return out

    result = {
        "TopicConfigurations": [build(t, "TopicArn") for t in config.topic],
        "QueueConfigurations": [build(q, "QueueArn") for q in config.queue],
        "LambdaFunctionConfigurations": [build(c, "LambdaFunctionArn") for c in config.cloud_function],
        "EventBridgeConfiguration": {},
    }
    self.data["Action"] = "GetBucketNotificationConfiguration"
    return self.serialized(ActionResult(result))


def _rule_description(self: Any) -> str | None:
    return self.ip_range.get("Description") or (self.source_group or {}).get("Description")


SecurityGroupRule.description = property(_rule_description)  # type: ignore[assignment,method-assign]
