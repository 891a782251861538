from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError


def test_docdb_cluster_and_instance_lifecycle(client: Callable[..., Any], ec2_subnet: str) -> None:
    docdb = client("docdb")
    ec2 = client("ec2")
    vpc = ec2.describe_subnets(SubnetIds=[ec2_subnet])["Subnets"][0]["VpcId"]
    other = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
    docdb.create_db_subnet_group(DBSubnetGroupName="docs", DBSubnetGroupDescription="d", SubnetIds=[ec2_subnet, other])
    docdb.create_db_cluster_parameter_group(DBClusterParameterGroupName="docs", DBParameterGroupFamily="docdb5.0", Description="d")
    cluster = docdb.create_db_cluster(
        DBClusterIdentifier="docs", Engine="docdb", MasterUsername="admin1", MasterUserPassword="password123",
        DBSubnetGroupName="docs", DBClusterParameterGroupName="docs", StorageEncrypted=True,
    )["DBCluster"]
    assert (cluster["Engine"], cluster["EngineVersion"], cluster["Port"], "StorageType" in cluster) == ("docdb", "5.0.0", 27017, False)
    instance = docdb.create_db_instance(DBInstanceIdentifier="docs-1", DBInstanceClass="db.t3.medium", Engine="docdb", DBClusterIdentifier="docs")["DBInstance"]
    assert instance["Engine"] == "docdb"
    assert [m["DBInstanceIdentifier"] for m in docdb.describe_db_clusters(DBClusterIdentifier="docs")["DBClusters"][0]["DBClusterMembers"]] == ["docs-1"]
    docdb.delete_db_instance(DBInstanceIdentifier="docs-1")
    docdb.delete_db_cluster(DBClusterIdentifier="docs", SkipFinalSnapshot=True)
    with pytest.raises(ClientError) as e:
        docdb.describe_db_clusters(DBClusterIdentifier="docs")
    assert e.value.response["Error"]["Code"] == "DBClusterNotFoundFault"


def test_docdb_cluster_without_identifier_is_refused(client: Callable[..., Any]) -> None:
    with pytest.raises(ClientError) as e:
        client("docdb", validate=False).create_db_cluster(Engine="docdb")
    assert e.value.response["Error"]["Code"] in ("MissingParameter", "InvalidParameterValue")
