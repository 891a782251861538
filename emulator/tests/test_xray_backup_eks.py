from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError


def _code(e: Any) -> str:
    return e.value.response["Error"]["Code"]


RULE = {"RuleName": "api", "ResourceARN": "*", "Priority": 100, "FixedRate": 0.05, "ReservoirSize": 1, "ServiceName": "*", "ServiceType": "*", "Host": "*", "HTTPMethod": "*", "URLPath": "*", "Version": 1}


def test_xray_sampling_rule_lifecycle_with_tags(client: Callable[..., Any]) -> None:
    xray = client("xray")
    record = xray.create_sampling_rule(SamplingRule=RULE, Tags=[{"Key": "env", "Value": "dev"}])["SamplingRuleRecord"]
    arn = record["SamplingRule"]["RuleARN"]
    assert arn.endswith(":sampling-rule/api")
    assert [r["SamplingRule"]["FixedRate"] for r in xray.get_sampling_rules()["SamplingRuleRecords"]] == [0.05]
    assert xray.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "env", "Value": "dev"}]
    xray.update_sampling_rule(SamplingRuleUpdate={"RuleName": "api", "FixedRate": 0.5})
    assert xray.get_sampling_rules()["SamplingRuleRecords"][0]["SamplingRule"]["FixedRate"] == 0.5
    xray.tag_resource(ResourceARN=arn, Tags=[{"Key": "team", "Value": "a"}])
    xray.untag_resource(ResourceARN=arn, TagKeys=["env"])
    assert xray.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "a"}]
    assert xray.delete_sampling_rule(RuleName="api")["SamplingRuleRecord"]["SamplingRule"]["RuleName"] == "api"
    assert xray.get_sampling_rules()["SamplingRuleRecords"] == []
    with pytest.raises(ClientError) as e:
        xray.delete_sampling_rule(RuleName="api")
    assert _code(e) == "InvalidRequestException"
    with pytest.raises(ClientError) as e:
        client("xray", validate=False).create_sampling_rule()
    assert _code(e) == "ValidationException"


def test_backup_selection_lifecycle(client: Callable[..., Any]) -> None:
    backup = client("backup")
    backup.create_backup_vault(BackupVaultName="v")
    plan = backup.create_backup_plan(BackupPlan={"BackupPlanName": "p", "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "v"}]})["BackupPlanId"]
    selection = {"SelectionName": "s", "IamRoleArn": "arn:aws:iam::123456789012:role/backup", "Resources": ["arn:aws:rds:us-east-1:123456789012:db:x"]}
    sid = backup.create_backup_selection(BackupPlanId=plan, BackupSelection=selection)["SelectionId"]
    got = backup.get_backup_selection(BackupPlanId=plan, SelectionId=sid)
    assert (got["BackupSelection"]["SelectionName"], got["BackupSelection"]["Resources"]) == ("s", selection["Resources"])
    assert [s["SelectionId"] for s in backup.list_backup_selections(BackupPlanId=plan)["BackupSelectionsList"]] == [sid]
    backup.delete_backup_selection(BackupPlanId=plan, SelectionId=sid)
    with pytest.raises(ClientError) as e:
        backup.get_backup_selection(BackupPlanId=plan, SelectionId=sid)
    assert _code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        client("backup", validate=False).create_backup_selection(BackupPlanId=plan, BackupSelection={"SelectionName": "s"})
    assert _code(e) == "ValidationException"


def _cluster(client: Callable[..., Any], ec2_subnet: str, **extra: Any) -> Any:
    eks = client("eks")
    eks.create_cluster(name="c1", roleArn="arn:aws:iam::123456789012:role/eks", resourcesVpcConfig={"subnetIds": [ec2_subnet]}, **extra)
    return eks


def test_eks_access_entries_and_policies(client: Callable[..., Any], ec2_subnet: str) -> None:
    eks = _cluster(client, ec2_subnet, accessConfig={"authenticationMode": "API"})
    assert eks.describe_cluster(name="c1")["cluster"]["accessConfig"] == {"bootstrapClusterCreatorAdminPermissions": True, "authenticationMode": "API"}
    eks.create_cluster(name="c2", roleArn="arn:aws:iam::123456789012:role/eks", resourcesVpcConfig={"subnetIds": [ec2_subnet]})
    issuers = {eks.describe_cluster(name=n)["cluster"]["identity"]["oidc"]["issuer"] for n in ("c1", "c2")}
    assert len(issuers) == 2
    eks.delete_cluster(name="c2")
    principal = "arn:aws:iam::123456789012:role/admins"
    entry = eks.create_access_entry(clusterName="c1", principalArn=principal, tags={"env": "dev"})["accessEntry"]
    assert (entry["type"], entry["tags"]) == ("STANDARD", {"env": "dev"})
    assert eks.describe_access_entry(clusterName="c1", principalArn=principal)["accessEntry"]["principalArn"] == principal
    assert eks.list_access_entries(clusterName="c1")["accessEntries"] == [principal]
    policy = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    eks.associate_access_policy(clusterName="c1", principalArn=principal, policyArn=policy, accessScope={"type": "cluster"})
    listed = eks.list_associated_access_policies(clusterName="c1", principalArn=principal)["associatedAccessPolicies"]
    assert [(p["policyArn"], p["accessScope"]["type"]) for p in listed] == [(policy, "cluster")]
    eks.disassociate_access_policy(clusterName="c1", principalArn=principal, policyArn=policy)
    assert eks.list_associated_access_policies(clusterName="c1", principalArn=principal)["associatedAccessPolicies"] == []
    eks.delete_access_entry(clusterName="c1", principalArn=principal)
    with pytest.raises(ClientError) as e:
        eks.describe_access_entry(clusterName="c1", principalArn=principal)
    assert _code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        client("eks", validate=False).create_access_entry(clusterName="c1")
    assert _code(e) in ("ValidationException", "InvalidParameterException")
    eks.delete_cluster(name="c1")


def test_eks_node_group_without_remote_access_reads_back_without_one(client: Callable[..., Any], ec2_subnet: str) -> None:
    eks = _cluster(client, ec2_subnet)
    group = eks.describe_cluster(name="c1")["cluster"]["resourcesVpcConfig"]["clusterSecurityGroupId"]
    assert client("ec2").describe_security_groups(GroupIds=[group])["SecurityGroups"][0]["GroupId"] == group
    eks.create_nodegroup(clusterName="c1", nodegroupName="n1", nodeRole="arn:aws:iam::123456789012:role/node", subnets=[ec2_subnet], updateConfig={"maxUnavailable": 2})
    nodegroup = eks.describe_nodegroup(clusterName="c1", nodegroupName="n1")["nodegroup"]
    assert ("remoteAccess" in nodegroup, nodegroup["updateConfig"]) == (False, {"maxUnavailable": 2})
    eks.delete_nodegroup(clusterName="c1", nodegroupName="n1")
    eks.delete_cluster(name="c1")
    with pytest.raises(ClientError) as e:
        client("ec2").describe_security_groups(GroupIds=[group])
    assert _code(e) == "InvalidGroup.NotFound"


def test_backup_list_tags_without_trailing_slash(endpoint: str, client: Callable[..., Any]) -> None:
    import urllib.request

    backup = client("backup")
    arn = backup.create_backup_vault(BackupVaultName="tagged", BackupVaultTags={"env": "dev"})["BackupVaultArn"]
    assert backup.list_tags(ResourceArn=arn)["Tags"] == {"env": "dev"}
    request = urllib.request.Request(f"{endpoint}/tags/{arn}", headers={"Authorization": "AWS4-HMAC-SHA256 Credential=emulator/20240101/us-east-1/backup/aws4_request, SignedHeaders=host, Signature=0"})
    assert __import__("json").loads(urllib.request.urlopen(request).read())["Tags"] == {"env": "dev"}
