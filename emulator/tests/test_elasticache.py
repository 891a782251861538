from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError


def _code(e: Any) -> str:
    return e.value.response["Error"]["Code"]


def test_replication_group_member_clusters_are_described_and_gone_after_delete(client: Callable[..., Any], ec2_subnet: str) -> None:
    ec = client("elasticache")
    ec.create_cache_subnet_group(CacheSubnetGroupName="sg1", CacheSubnetGroupDescription="d", SubnetIds=[ec2_subnet])
    group = ec.create_replication_group(
        ReplicationGroupId="rg1", ReplicationGroupDescription="d", Engine="redis", EngineVersion="7.1",
        CacheNodeType="cache.t4g.micro", NumCacheClusters=2, CacheSubnetGroupName="sg1",
    )["ReplicationGroup"]
    members = group["MemberClusters"]
    assert len(members) == 2
    described = ec.describe_cache_clusters(CacheClusterId=members[0], ShowCacheNodeInfo=True)["CacheClusters"][0]
    assert (described["ReplicationGroupId"], described["CacheClusterStatus"], described["Engine"]) == ("rg1", "available", "redis")
    assert described["CacheNodes"][0]["Endpoint"]["Port"] == 6379
    assert {c["CacheClusterId"] for c in ec.describe_cache_clusters()["CacheClusters"]} >= set(members)
    with pytest.raises(ClientError) as e:
        ec.delete_cache_subnet_group(CacheSubnetGroupName="sg1")
    assert _code(e) == "CacheSubnetGroupInUse"
    ec.delete_replication_group(ReplicationGroupId="rg1")
    with pytest.raises(ClientError) as e:
        ec.describe_replication_groups(ReplicationGroupId="rg1")
    assert _code(e) == "ReplicationGroupNotFoundFault"
    with pytest.raises(ClientError) as e:
        ec.describe_cache_clusters(CacheClusterId=members[0])
    assert _code(e) == "CacheClusterNotFound"
    ec.delete_cache_subnet_group(CacheSubnetGroupName="sg1")
    assert ec.describe_cache_subnet_groups()["CacheSubnetGroups"] == []
    with pytest.raises(ClientError) as e:
        ec.delete_cache_subnet_group(CacheSubnetGroupName="sg1")
    assert _code(e) == "CacheSubnetGroupNotFoundFault"


def test_cache_parameter_group_lifecycle_with_user_parameters_and_tags(client: Callable[..., Any]) -> None:
    ec = client("elasticache")
    created = ec.create_cache_parameter_group(
        CacheParameterGroupName="pg1", CacheParameterGroupFamily="redis7", Description="d", Tags=[{"Key": "env", "Value": "dev"}],
    )["CacheParameterGroup"]
    assert (created["CacheParameterGroupFamily"], created["ARN"].split(":")[-2:]) == ("redis7", ["parametergroup", "pg1"])
    assert ec.list_tags_for_resource(ResourceName=created["ARN"])["TagList"] == [{"Key": "env", "Value": "dev"}]
    ec.modify_cache_parameter_group(CacheParameterGroupName="pg1", ParameterNameValues=[{"ParameterName": "maxmemory-policy", "ParameterValue": "allkeys-lru"}])
    params = ec.describe_cache_parameters(CacheParameterGroupName="pg1", Source="user")["Parameters"]
    assert [(p["ParameterName"], p["ParameterValue"]) for p in params] == [("maxmemory-policy", "allkeys-lru")]
    ec.reset_cache_parameter_group(CacheParameterGroupName="pg1", ResetAllParameters=True)
    assert ec.describe_cache_parameters(CacheParameterGroupName="pg1")["Parameters"] == []
    assert [g["CacheParameterGroupName"] for g in ec.describe_cache_parameter_groups()["CacheParameterGroups"]] == ["pg1"]
    ec.delete_cache_parameter_group(CacheParameterGroupName="pg1")
    with pytest.raises(ClientError) as e:
        ec.describe_cache_parameter_groups(CacheParameterGroupName="pg1")
    assert _code(e) == "CacheParameterGroupNotFound"


def test_create_cache_parameter_group_without_family_is_refused(client: Callable[..., Any]) -> None:
    ec = client("elasticache", validate=False)
    with pytest.raises(ClientError) as e:
        ec.create_cache_parameter_group(CacheParameterGroupName="pg2", Description="d")
    assert _code(e) == "MissingParameter"


def test_user_group_lifecycle(client: Callable[..., Any]) -> None:
    ec = client("elasticache")
    ec.create_user(UserId="app", UserName="app", Engine="redis", AccessString="on ~* +@all", NoPasswordRequired=True)
    group = ec.create_user_group(UserGroupId="ug1", Engine="redis", UserIds=["default"])
    assert (group["Status"], group["UserIds"]) == ("active", ["default"])
    ec.modify_user_group(UserGroupId="ug1", UserIdsToAdd=["app"])
    assert ec.describe_user_groups(UserGroupId="ug1")["UserGroups"][0]["UserIds"] == ["default", "app"]
    with pytest.raises(ClientError) as e:
        ec.modify_user_group(UserGroupId="ug1", UserIdsToAdd=["nobody"])
    assert _code(e) == "UserNotFound"
    assert ec.delete_user_group(UserGroupId="ug1")["Status"] == "deleting"
    with pytest.raises(ClientError) as e:
        ec.describe_user_groups(UserGroupId="ug1")
    assert _code(e) == "UserGroupNotFound"


def test_create_user_group_without_engine_is_refused(client: Callable[..., Any]) -> None:
    ec = client("elasticache", validate=False)
    with pytest.raises(ClientError) as e:
        ec.create_user_group(UserGroupId="ug2")
    assert _code(e) == "MissingParameter"
