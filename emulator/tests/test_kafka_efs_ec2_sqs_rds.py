import json
from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError


def _code(e: Any) -> str:
    return e.value.response["Error"]["Code"]


def test_msk_bootstrap_brokers_follow_the_client_authentication(client: Callable[..., Any], ec2_subnet: str) -> None:
    kafka = client("kafka")
    arn = kafka.create_cluster(
        ClusterName="k1", KafkaVersion="3.6.0", NumberOfBrokerNodes=2,
        BrokerNodeGroupInfo={"InstanceType": "kafka.t3.small", "ClientSubnets": [ec2_subnet]},
        ClientAuthentication={"Sasl": {"Iam": {"Enabled": True}}},
        EncryptionInfo={"EncryptionInTransit": {"ClientBroker": "TLS"}},
    )["ClusterArn"]
    assert kafka.describe_cluster(ClusterArn=arn)["ClusterInfo"]["State"] == "ACTIVE"
    assert arn.split(":")[5].split("/")[:2] == ["cluster", "k1"]
    brokers = kafka.get_bootstrap_brokers(ClusterArn=arn)
    assert brokers["BootstrapBrokerStringSaslIam"].count(":9098") == 2
    assert "BootstrapBrokerString" not in brokers
    with pytest.raises(ClientError) as e:
        kafka.get_bootstrap_brokers(ClusterArn=arn.replace("cluster/", "cluster/x"))
    assert _code(e) == "NotFoundException"
    kafka.delete_cluster(ClusterArn=arn)
    for describe in (kafka.describe_cluster, kafka.describe_cluster_v2):
        with pytest.raises(ClientError) as e:
            describe(ClusterArn=arn)
        assert _code(e) == "NotFoundException"


def test_msk_configuration_revisions_update_and_delete(client: Callable[..., Any]) -> None:
    kafka = client("kafka")
    created = kafka.create_configuration(Name="c1", KafkaVersions=["3.6.0"], ServerProperties=b"auto.create.topics.enable=false\n")
    arn = created["Arn"]
    assert (created["State"], created["LatestRevision"]["Revision"]) == ("ACTIVE", 1)
    assert kafka.describe_configuration(Arn=arn)["KafkaVersions"] == ["3.6.0"]
    kafka.update_configuration(Arn=arn, ServerProperties=b"num.partitions=3\n")
    assert kafka.describe_configuration_revision(Arn=arn, Revision=2)["ServerProperties"] == b"num.partitions=3\n"
    assert kafka.describe_configuration_revision(Arn=arn, Revision=1)["ServerProperties"] == b"auto.create.topics.enable=false\n"
    assert [r["Revision"] for r in kafka.list_configuration_revisions(Arn=arn)["Revisions"]] == [1, 2]
    assert kafka.delete_configuration(Arn=arn)["State"] == "DELETING"
    with pytest.raises(ClientError) as e:
        kafka.describe_configuration(Arn=arn)
    assert (_code(e), e.value.response["Error"]["Message"]) == ("BadRequestException", "Configuration ARN does not exist")


def test_msk_create_configuration_without_server_properties_is_refused(client: Callable[..., Any]) -> None:
    with pytest.raises(ClientError) as e:
        client("kafka", validate=False).create_configuration(Name="c2")
    assert _code(e) == "ValidationException"


def test_efs_backup_policy_and_file_system_policy_delete(client: Callable[..., Any]) -> None:
    efs = client("efs")
    fs = efs.create_file_system(CreationToken="t1")["FileSystemId"]
    with pytest.raises(ClientError) as e:
        efs.describe_backup_policy(FileSystemId=fs)
    assert _code(e) == "PolicyNotFound"
    assert efs.put_backup_policy(FileSystemId=fs, BackupPolicy={"Status": "ENABLED"})["BackupPolicy"] == {"Status": "ENABLED"}
    assert efs.describe_backup_policy(FileSystemId=fs)["BackupPolicy"] == {"Status": "ENABLED"}
    efs.put_backup_policy(FileSystemId=fs, BackupPolicy={"Status": "DISABLED"})
    assert efs.describe_backup_policy(FileSystemId=fs)["BackupPolicy"] == {"Status": "DISABLED"}
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "elasticfilesystem:ClientMount", "Resource": "*"}]})
    efs.put_file_system_policy(FileSystemId=fs, Policy=policy)
    efs.delete_file_system_policy(FileSystemId=fs)
    with pytest.raises(ClientError) as e:
        efs.describe_file_system_policy(FileSystemId=fs)
    assert _code(e) == "PolicyNotFound"
    with pytest.raises(ClientError) as e:
        client("efs", validate=False).put_backup_policy(FileSystemId=fs)
    assert _code(e) == "ValidationException"


def test_ec2_monitor_and_unmonitor_instances(client: Callable[..., Any]) -> None:
    ec2 = client("ec2")
    image = ec2.describe_images()["Images"][0]["ImageId"]
    iid = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    assert ec2.monitor_instances(InstanceIds=[iid])["InstanceMonitorings"] == [{"InstanceId": iid, "Monitoring": {"State": "enabled"}}]
    assert ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["Monitoring"]["State"] == "enabled"
    ec2.unmonitor_instances(InstanceIds=[iid])
    assert ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["Monitoring"]["State"] == "disabled"
    with pytest.raises(ClientError) as e:
        ec2.monitor_instances(InstanceIds=["i-0000000000000dead"])
    assert _code(e) == "InvalidInstanceID.NotFound"
    with pytest.raises(ClientError) as e:
        client("ec2", validate=False).monitor_instances()
    assert _code(e) == "MissingParameter"


def test_ec2_instance_without_public_ip_has_no_association(client: Callable[..., Any], ec2_subnet: str) -> None:
    ec2 = client("ec2")
    image = ec2.describe_images()["Images"][0]["ImageId"]
    vpc = ec2.describe_subnets(SubnetIds=[ec2_subnet])["Subnets"][0]["VpcId"]
    sg = ec2.create_security_group(GroupName="redis", Description="redis", VpcId=vpc)["GroupId"]
    nic = {"DeviceIndex": 0, "SubnetId": ec2_subnet, "AssociatePublicIpAddress": False, "Groups": [sg]}
    iid = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, NetworkInterfaces=[nic])["Instances"][0]["InstanceId"]
    described = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
    assert ("PublicIpAddress" in described, "Association" in described["NetworkInterfaces"][0]) == (False, False)
    assert [g["GroupId"] for g in described["SecurityGroups"]] == [sg]


def test_sqs_redrive_keeps_the_queue_policy_and_redrive_allow_policy_reads_back(client: Callable[..., Any]) -> None:
    sqs = client("sqs")
    dlq = sqs.create_queue(QueueName="dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    q = sqs.create_queue(QueueName="q")["QueueUrl"]
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}]})
    sqs.set_queue_attributes(QueueUrl=q, Attributes={"Policy": policy})
    sqs.set_queue_attributes(QueueUrl=q, Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})})
    attrs = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["All"])["Attributes"]
    assert json.loads(attrs["Policy"]) == json.loads(policy)
    assert attrs["RedrivePolicy"] == json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}, separators=(",", ":"))
    allow = json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": [dlq_arn]})
    sqs.set_queue_attributes(QueueUrl=dlq, Attributes={"RedriveAllowPolicy": allow})
    assert sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["RedriveAllowPolicy"])["Attributes"] == {"RedriveAllowPolicy": allow}
    sqs.set_queue_attributes(QueueUrl=dlq, Attributes={"RedriveAllowPolicy": ""})
    assert "RedriveAllowPolicy" not in sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]
    sqs.set_queue_attributes(QueueUrl=q, Attributes={"Policy": ""})
    assert "Policy" not in sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["All"])["Attributes"]


def test_rds_instances_have_distinct_dbi_resource_ids(client: Callable[..., Any]) -> None:
    rds = client("rds")
    ids = [
        rds.create_db_instance(DBInstanceIdentifier=f"db{i}", Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="u", MasterUserPassword="password1")["DBInstance"]["DbiResourceId"]
        for i in range(2)
    ]
    assert len(set(ids)) == 2
    found = rds.describe_db_instances(Filters=[{"Name": "dbi-resource-id", "Values": [ids[1]]}])["DBInstances"]
    assert [d["DBInstanceIdentifier"] for d in found] == ["db1"]


def test_rds_enhanced_monitoring_reads_back(client: Callable[..., Any]) -> None:
    rds = client("rds")
    role = "arn:aws:iam::123456789012:role/rds-monitoring"
    rds.create_db_instance(DBInstanceIdentifier="mon", Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="u", MasterUserPassword="password1", MonitoringInterval=60, MonitoringRoleArn=role)
    db = rds.describe_db_instances(DBInstanceIdentifier="mon")["DBInstances"][0]
    assert (db["MonitoringInterval"], db["MonitoringRoleArn"]) == (60, role)
    assert (db["PerformanceInsightsEnabled"], "PerformanceInsightsRetentionPeriod" in db) == (False, False)
    rds.create_db_instance(DBInstanceIdentifier="pi", Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="u", MasterUserPassword="password1", EnablePerformanceInsights=True, PerformanceInsightsKMSKeyId="arn:aws:kms:us-east-1:123456789012:key/k")
    pi = rds.describe_db_instances(DBInstanceIdentifier="pi")["DBInstances"][0]
    assert (pi["PerformanceInsightsEnabled"], pi["PerformanceInsightsRetentionPeriod"], pi["PerformanceInsightsKMSKeyId"]) == (True, 7, "arn:aws:kms:us-east-1:123456789012:key/k")
    rds.modify_db_instance(DBInstanceIdentifier="mon", MonitoringInterval=30)
    assert rds.describe_db_instances(DBInstanceIdentifier="mon")["DBInstances"][0]["MonitoringInterval"] == 30


def test_rds_user_parameters_read_back_with_their_source(client: Callable[..., Any]) -> None:
    rds = client("rds")
    rds.create_db_parameter_group(DBParameterGroupName="pg", DBParameterGroupFamily="postgres16", Description="d")
    rds.modify_db_parameter_group(DBParameterGroupName="pg", Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}])
    assert [(p["ParameterName"], p["Source"]) for p in rds.describe_db_parameters(DBParameterGroupName="pg")["Parameters"]] == [("rds.force_ssl", "user")]
    assert rds.describe_db_parameters(DBParameterGroupName="pg", Source="engine-default")["Parameters"] == []


def test_rds_provisioned_cluster_has_no_scaling_configuration_info(client: Callable[..., Any]) -> None:
    rds = client("rds")
    rds.create_db_cluster(DBClusterIdentifier="aurora", Engine="aurora-postgresql", MasterUsername="u", MasterUserPassword="password1", ServerlessV2ScalingConfiguration={"MinCapacity": 0.5, "MaxCapacity": 2})
    cluster = rds.describe_db_clusters(DBClusterIdentifier="aurora")["DBClusters"][0]
    assert "ScalingConfigurationInfo" not in cluster
    assert cluster["ServerlessV2ScalingConfiguration"]["MaxCapacity"] == 2
