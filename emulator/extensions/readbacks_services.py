"""Read-backs behind perpetual diffs: values moto accepts but does not return.

- ECS services: availabilityZoneRebalancing, enableECSManagedTags, healthCheckGracePeriodSeconds,
  enableExecuteCommand, capacityProviderStrategy, placementStrategy, placementConstraints (DescribeServices omits
  them; a missing capacity provider strategy forces a replacement on every plan), service registries as given, and
  no launchType beside a capacity provider strategy;
- KMS keys: RotationPeriodInDays of EnableKeyRotation (GetKeyRotationStatus omits it);
- S3 buckets: EventBridgeConfiguration of a notification configuration (GetBucketNotificationConfiguration omits it);
- EC2 security group rules that reference a group: their Description (DescribeSecurityGroupRules omits it);
- EC2 launch template versions: without the template's own tags copied into their TagSpecifications.
- S3 replication configurations: rules read back as written (DeleteMarkerReplication, Filter, SourceSelectionCriteria).
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.models.security_groups import SecurityGroupRule
from moto.ec2.responses.launch_templates import LaunchTemplates
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.kms.responses import KmsResponse
from moto.s3.responses import S3Response

from .core import wrap

_ECS_FIELDS = {
    "availabilityZoneRebalancing": "availability_zone_rebalancing",
    "enableECSManagedTags": "enable_ecs_managed_tags",
    "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "enableExecuteCommand": "enable_execute_command",
    "capacityProviderStrategy": "capacity_provider_strategy",
    "placementStrategy": "placement_strategy",
    "placementConstraints": "placement_constraints",
    "serviceRegistries": "service_registries",
}
_ECS_DEFAULTS = {"availabilityZoneRebalancing": "DISABLED", "enableECSManagedTags": False, "enableExecuteCommand": False}


def _copy_ecs_fields(self: Any, service: Any, defaults: bool) -> None:
    for param, attr in _ECS_FIELDS.items():
        value = self._get_param(param)
        if value is not None:
            setattr(service, attr, value)
        elif defaults:
            setattr(service, attr, _ECS_DEFAULTS.get(param))
    if service.capacity_provider_strategy:
        service.launch_type = None


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


@wrap(LaunchTemplates, "describe_launch_template_versions")
def _describe_launch_template_versions(self: Any, original: Any) -> Any:
    # moto copies the template's own tags (TagSpecification, ResourceType launch-template) into every version's
    # LaunchTemplateData.TagSpecifications, where AWS keeps only what the data asked for.
    result = original()
    for version in result.result.get("LaunchTemplateVersions", []):
        data = version.get("LaunchTemplateData")
        if isinstance(data, dict) and data.get("TagSpecifications"):
            kept = [t for t in data["TagSpecifications"] if t.get("ResourceType") != "launch-template"]
            version["LaunchTemplateData"] = {**data, "TagSpecifications": kept} if kept else {k: v for k, v in data.items() if k != "TagSpecifications"}
    return result


@wrap(S3Response, "get_bucket_replication")
def _get_bucket_replication(self: Any, original: Any) -> Any:
    # moto answers every rule with DeleteMarkerReplication Disabled, an empty Filter, and no
    # SourceSelectionCriteria, whatever was put; AWS returns the rules as written.
    replication = self.backend.get_bucket_replication(self.bucket_name)
    if not replication:
        return original()
    stored = replication["Rule"] if isinstance(replication["Rule"], list) else [replication["Rule"]]
    rules = []
    for rule in stored:
        out: dict[str, Any] = {k: rule[k] for k in ("ID", "Status", "Destination") if k in rule}
        if rule.get("Priority") is not None:
            out["Priority"] = int(rule["Priority"])
        out["DeleteMarkerReplication"] = rule.get("DeleteMarkerReplication") or {"Status": "Disabled"}
        out["Filter"] = rule.get("Filter") if rule.get("Filter") is not None else {"Prefix": rule.get("Prefix", "")}
        for key in ("SourceSelectionCriteria", "ExistingObjectReplication"):
            if rule.get(key):
                out[key] = rule[key]
        rules.append(out)
    self.data["Action"] = "GetBucketReplication"
    return self.serialized(ActionResult({"ReplicationConfiguration": {"Role": replication["Role"], "Rules": rules}}))
