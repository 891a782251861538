"""RDS: a distinct DbiResourceId per DB instance (moto 5.2.1 gives every instance the same one, so the provider,
which reads an instance back by dbi-resource-id, finds several and refuses); enhanced monitoring
(MonitoringInterval, MonitoringRoleArn) and Performance Insights read back by DescribeDBInstances; DB parameters read back with Source "user"; no ScalingConfigurationInfo on clusters that have none."""

from __future__ import annotations

import random
import string
from typing import Any

from moto.core.responses import ActionResult
from moto.rds.models import DBCluster, DBInstance
from moto.rds.responses import RDSResponse

from .core import wrap

_original_init = DBInstance.__init__


def _resource_id() -> str:
    return "db-" + "".join(random.choices(string.ascii_uppercase + string.digits, k=26))


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    _original_init(self, *args, **kwargs)
    self.dbi_resource_id = _resource_id()
    # ModifyDBInstance sets any attribute it is given (moto's DBInstance.update); creation dropped these two.
    self.monitoring_interval = kwargs.get("monitoring_interval") or 0
    self.monitoring_role_arn = kwargs.get("monitoring_role_arn")
    self.performance_insights_enabled = bool(kwargs.get("enable_performance_insights"))
    self.performance_insights_kms_key_id = kwargs.get("performance_insights_kms_key_id") if self.performance_insights_enabled else None
    self.performance_insights_retention_period = (kwargs.get("performance_insights_retention_period") or 7) if self.performance_insights_enabled else None


DBInstance.__init__ = _init  # type: ignore[method-assign]


@wrap(RDSResponse, "describe_db_parameters")
def _describe_db_parameters(self: Any, original: Any) -> Any:
    # The parameters moto keeps are the ones ModifyDBParameterGroup set, i.e. Source "user"; moto returns them
    # without a Source, and the provider keeps only Source "user" ones, so every plan re-added them.
    result = original()
    source = self.params.get("Source")
    parameters = [] if source not in (None, "user") else [dict(p, Source="user") for p in result.result["Parameters"]]
    return ActionResult({"Parameters": parameters})


_scaling_configuration_info = DBCluster.scaling_configuration_info.fget


def _scaling_info(self: Any) -> Any:
    # AWS returns ScalingConfigurationInfo for Serverless v1 clusters only; moto returns an all-empty one for every
    # cluster, which the provider reads as a scaling_configuration block that the config does not have.
    return _scaling_configuration_info(self) if self.scaling_configuration else None


DBCluster.scaling_configuration_info = property(_scaling_info)  # type: ignore[assignment,method-assign]
