"""MSK: GetBootstrapBrokers, configurations (Create/Describe/Update/Delete, revisions), clusters that become ACTIVE,
and NotFoundException (not a 500) for a deleted cluster."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote

from moto.kafka import urls
from moto.kafka.models import FakeKafkaCluster
from moto.kafka.responses import KafkaResponse

from .core import NotFound, ValidationError, operation, store, wrap

urls.url_paths.update({
    "{0}/v1/configurations$": KafkaResponse.dispatch,
    # An ARN arrives with its slashes decoded, so one route takes every path below /v1/configurations/; the
    # operation is then found from the raw path by botocore's URI templates.
    "{0}/v1/configurations/(?P<arn>.+)$": KafkaResponse.dispatch,
})


_original_cluster_init = FakeKafkaCluster.__init__


def _cluster_init(self: Any, *args: Any, **kwargs: Any) -> None:
    # moto leaves every cluster CREATING forever, so the provider's create waiter never ends; AWS reaches ACTIVE.
    # AWS's cluster ARNs are cluster/<name>/<uuid> (IAM's kafka-cluster:* actions match that form); moto's lack the name.
    _original_cluster_init(self, *args, **kwargs)
    self.state = "ACTIVE"
    kind = "cluster" if self.cluster_type == "PROVISIONED" else "serverless-cluster"
    self.arn = f"arn:aws:kafka:{self.region_name}:{self.account_id}:{kind}/{self.cluster_name}/{self.cluster_id}"


FakeKafkaCluster.__init__ = _cluster_init  # type: ignore[method-assign]


def _backend(response: Any) -> Any:
    return response.kafka_backend


def _cluster(backend: Any, arn: str) -> Any:
    arn = unquote(arn)
    if arn not in backend.clusters:
        raise NotFound("NotFoundException", f"Cluster {arn} not found")
    return backend.clusters[arn]


@operation(KafkaResponse, "GetBootstrapBrokers", _backend)
def get_bootstrap_brokers(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    cluster = _cluster(backend, params["ClusterArn"])
    count = cluster.number_of_broker_nodes or 3
    host = lambda i: f"b-{i}.{cluster.cluster_name}.{cluster.cluster_id[:6]}.c2.kafka.{backend.region_name}.amazonaws.com"  # noqa: E731
    brokers = lambda port: ",".join(f"{host(i)}:{port}" for i in range(1, count + 1))  # noqa: E731
    in_transit = ((cluster.encryption_info or {}).get("encryptionInTransit") or {}).get("clientBroker", "TLS")
    auth = cluster.client_authentication or {}
    sasl = auth.get("sasl") or {}
    result: dict[str, Any] = {}
    if in_transit in ("PLAINTEXT", "TLS_PLAINTEXT"):
        result["BootstrapBrokerString"] = brokers(9092)
    if in_transit in ("TLS", "TLS_PLAINTEXT"):
        if (auth.get("tls") or {}).get("enabled") or not sasl or (auth.get("unauthenticated") or {}).get("enabled"):
            result["BootstrapBrokerStringTls"] = brokers(9094)
        if (sasl.get("scram") or {}).get("enabled"):
            result["BootstrapBrokerStringSaslScram"] = brokers(9096)
        if (sasl.get("iam") or {}).get("enabled"):
            result["BootstrapBrokerStringSaslIam"] = brokers(9098)
    return result


def _configuration(backend: Any, arn: str) -> dict[str, Any]:
    configurations = store(backend, "configurations")
    arn = unquote(arn)
    if arn not in configurations:
        # What AWS answers (and what the provider's delete waiter waits for): BadRequestException, not NotFound.
        raise NotFound("BadRequestException", "Configuration ARN does not exist")
    return configurations[arn]


def _view(c: dict[str, Any]) -> dict[str, Any]:
    latest = c["Revisions"][-1]
    return {
        "Arn": c["Arn"], "CreationTime": c["CreationTime"], "Description": c["Description"], "KafkaVersions": c["KafkaVersions"],
        "LatestRevision": {k: latest[k] for k in ("CreationTime", "Description", "Revision")}, "Name": c["Name"], "State": c["State"],
    }


def _now() -> datetime:
    return datetime.now(timezone.utc)


@operation(KafkaResponse, "CreateConfiguration", _backend)
def create_configuration(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    configurations = store(backend, "configurations")
    name = params["Name"]
    if any(c["Name"] == name for c in configurations.values()):
        raise ValidationError("ConflictException", f"A configuration named {name} already exists")
    arn = f"arn:aws:kafka:{backend.region_name}:{backend.account_id}:configuration/{name}/{uuid.uuid4()}"
    now = _now()
    configurations[arn] = {
        "Arn": arn, "Name": name, "CreationTime": now, "Description": params.get("Description", ""), "State": "ACTIVE",
        "KafkaVersions": params.get("KafkaVersions") or [],
        "Revisions": [{"CreationTime": now, "Description": params.get("Description", ""), "Revision": 1, "ServerProperties": params["ServerProperties"]}],
    }
    view = _view(configurations[arn])
    return {k: view[k] for k in ("Arn", "CreationTime", "LatestRevision", "Name", "State")}


@operation(KafkaResponse, "DescribeConfiguration", _backend)
def describe_configuration(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return _view(_configuration(backend, params["Arn"]))


@operation(KafkaResponse, "ListConfigurations", _backend)
def list_configurations(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    return {"Configurations": [_view(c) for c in store(backend, "configurations").values()]}


@operation(KafkaResponse, "DescribeConfigurationRevision", _backend)
def describe_configuration_revision(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    c = _configuration(backend, params["Arn"])
    wanted = int(params["Revision"])
    for r in c["Revisions"]:
        if r["Revision"] == wanted:
            return {"Arn": c["Arn"], **r}
    raise NotFound("NotFoundException", f"Revision {wanted} of {c['Arn']} not found")


@operation(KafkaResponse, "ListConfigurationRevisions", _backend)
def list_configuration_revisions(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    c = _configuration(backend, params["Arn"])
    return {"Revisions": [{k: r[k] for k in ("CreationTime", "Description", "Revision")} for r in c["Revisions"]]}


@operation(KafkaResponse, "UpdateConfiguration", _backend)
def update_configuration(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    c = _configuration(backend, params["Arn"])
    c["Revisions"].append({"CreationTime": _now(), "Description": params.get("Description", c["Description"]), "Revision": len(c["Revisions"]) + 1, "ServerProperties": params["ServerProperties"]})
    return {"Arn": c["Arn"], "LatestRevision": _view(c)["LatestRevision"]}


@operation(KafkaResponse, "DeleteConfiguration", _backend)
def delete_configuration(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    c = _configuration(backend, params["Arn"])
    del store(backend, "configurations")[c["Arn"]]
    return {"Arn": c["Arn"], "State": "DELETING"}


def _known_or_not_found(self: Any, original: Any) -> Any:
    # moto answers a deleted (or unknown) cluster with a 500 (KeyError), which the provider retries until its
    # delete waiter times out; AWS answers NotFoundException.
    _cluster(self.kafka_backend, self.parsed_url.path.split("/clusters/")[-1])
    return original()


wrap(KafkaResponse, "describe_cluster")(_known_or_not_found)
wrap(KafkaResponse, "describe_cluster_v2")(_known_or_not_found)
