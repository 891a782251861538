"""EC2: MonitorInstances / UnmonitorInstances (detailed monitoring), read back by DescribeInstances; no Association
on a network interface without a public IP (moto returns an empty one, which the provider reads as
associate_public_ip_address = true and replaces the instance on every plan); an instance launched with its groups
on its primary network interface (the provider does that whenever associate_public_ip_address is set) reads back
with those groups (moto kept them on the interface only, so vpc_security_group_ids changed on every plan)."""

from __future__ import annotations

from typing import Any

from moto.ec2.models.elastic_network_interfaces import NetworkInterface
from moto.ec2.models.instances import Instance
from moto.ec2.responses.instances import InstanceResponse

from .core import operation


def _backend(response: Any) -> Any:
    return response.ec2_backend


def _set(backend: Any, ids: list[str], state: str) -> dict[str, Any]:
    instances = [backend.get_instance(i) for i in ids]  # InvalidInstanceID.NotFound for an unknown id
    for instance in instances:
        instance.monitoring_state = state
    return {"InstanceMonitorings": [{"InstanceId": i.id, "Monitoring": {"State": state}} for i in instances]}


@operation(InstanceResponse, "MonitorInstances", _backend)
def monitor_instances(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return _set(backend, params["InstanceIds"], "enabled")


@operation(InstanceResponse, "UnmonitorInstances", _backend)
def unmonitor_instances(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return _set(backend, params["InstanceIds"], "disabled")


_association = NetworkInterface.association.fget


def _association_or_none(self: Any) -> Any:
    return _association(self) if self.public_ip else None


NetworkInterface.association = property(_association_or_none)  # type: ignore[assignment,method-assign]


_instance_init = Instance.__init__


def _instance(self: Any, *args: Any, **kwargs: Any) -> None:
    _instance_init(self, *args, **kwargs)
    primary = self.nics.get(0)
    if primary is not None and not self.security_groups and primary._group_set:
        self.security_groups = list(primary._group_set)


Instance.__init__ = _instance  # type: ignore[method-assign]
