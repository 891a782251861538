from typing import Any, Callable


def test_ecs_service_reads_back_rebalancing_managed_tags_and_grace_period(client: Callable[..., Any]) -> None:
    ecs = client("ecs")
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="t", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 128}])
    ecs.create_service(cluster="c", serviceName="s", taskDefinition="t", desiredCount=1, availabilityZoneRebalancing="ENABLED", enableECSManagedTags=True, healthCheckGracePeriodSeconds=60)
    svc = ecs.describe_services(cluster="c", services=["s"])["services"][0]
    assert (svc["availabilityZoneRebalancing"], svc["enableECSManagedTags"], svc["healthCheckGracePeriodSeconds"]) == ("ENABLED", True, 60)
    ecs.update_service(cluster="c", service="s", healthCheckGracePeriodSeconds=30)
    assert ecs.describe_services(cluster="c", services=["s"])["services"][0]["healthCheckGracePeriodSeconds"] == 30
    ecs.put_cluster_capacity_providers(cluster="c", capacityProviders=["FARGATE"], defaultCapacityProviderStrategy=[])
    strategy = [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}]
    ecs.create_service(cluster="c", serviceName="s2", taskDefinition="t", desiredCount=1, capacityProviderStrategy=strategy, placementStrategy=[{"type": "spread", "field": "attribute:ecs.availability-zone"}])
    s2 = ecs.describe_services(cluster="c", services=["s2"])["services"][0]
    assert (s2["capacityProviderStrategy"], s2["placementStrategy"][0]["type"], "launchType" in s2, "healthCheckGracePeriodSeconds" in s2) == (strategy, "spread", False, False)


def test_kms_rotation_period_reads_back(client: Callable[..., Any]) -> None:
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=180)
    status = kms.get_key_rotation_status(KeyId=key)
    assert (status["KeyRotationEnabled"], status["RotationPeriodInDays"]) == (True, 180)


def test_s3_notification_reads_back_eventbridge(client: Callable[..., Any]) -> None:
    s3 = client("s3")
    s3.create_bucket(Bucket="events-bucket-1")
    s3.put_bucket_notification_configuration(Bucket="events-bucket-1", NotificationConfiguration={"EventBridgeConfiguration": {}})
    assert "EventBridgeConfiguration" in s3.get_bucket_notification_configuration(Bucket="events-bucket-1")


def test_security_group_rule_referencing_a_group_keeps_its_description(client: Callable[..., Any]) -> None:
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_security_group(GroupName="a", Description="a", VpcId=vpc)["GroupId"]
    b = ec2.create_security_group(GroupName="b", Description="b", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=a, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": b, "Description": "from b on 5432"}]}])
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [a]}])["SecurityGroupRules"]
    assert [r["Description"] for r in rules if not r["IsEgress"]] == ["from b on 5432"]


def test_launch_template_versions_keep_only_the_tag_specifications_asked_for(client: Callable[..., Any]) -> None:
    ec2 = client("ec2")
    ec2.create_launch_template(
        LaunchTemplateName="lt-1", LaunchTemplateData={"InstanceType": "t3.micro", "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "a", "Value": "b"}]}]},
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "env", "Value": "dev"}]}],
    )
    data = ec2.describe_launch_template_versions(LaunchTemplateName="lt-1")["LaunchTemplateVersions"][0]["LaunchTemplateData"]
    assert [t["ResourceType"] for t in data["TagSpecifications"]] == ["instance"]
    assert ec2.describe_launch_templates(LaunchTemplateNames=["lt-1"])["LaunchTemplates"][0]["Tags"] == [{"Key": "env", "Value": "dev"}]


def test_s3_replication_rules_read_back_as_written(client: Callable[..., Any]) -> None:
    s3 = client("s3")
    for b in ("repl-source-1", "repl-target-1"):
        s3.create_bucket(Bucket=b)
        s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
    rule = {
        "ID": "all", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": "uploads/"},
        "DeleteMarkerReplication": {"Status": "Enabled"},
        "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
        "Destination": {"Bucket": "arn:aws:s3:::repl-target-1"},
    }
    s3.put_bucket_replication(Bucket="repl-source-1", ReplicationConfiguration={"Role": "arn:aws:iam::123456789012:role/r", "Rules": [rule]})
    got = s3.get_bucket_replication(Bucket="repl-source-1")["ReplicationConfiguration"]["Rules"][0]
    assert (got["DeleteMarkerReplication"], got["Filter"], got["SourceSelectionCriteria"], got["Priority"]) == (rule["DeleteMarkerReplication"], rule["Filter"], rule["SourceSelectionCriteria"], 1)
