from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError


def _code(e: Any) -> str:
    return e.value.response["Error"]["Code"]


def _cluster(client: Callable[..., Any], ec2_subnet: str, name: str) -> Any:
    eks = client("eks")
    eks.create_cluster(name=name, roleArn="arn:aws:iam::123456789012:role/eks", resourcesVpcConfig={"subnetIds": [ec2_subnet]})
    return eks


def test_eks_addon_lifecycle_with_tags_and_update(client: Callable[..., Any], ec2_subnet: str) -> None:
    eks = _cluster(client, ec2_subnet, "addons1")
    role = "arn:aws:iam::123456789012:role/ebs-csi"
    addon = eks.create_addon(clusterName="addons1", addonName="aws-ebs-csi-driver", addonVersion="v1.44.0-eksbuild.1", serviceAccountRoleArn=role, resolveConflicts="OVERWRITE", tags={"env": "dev"})["addon"]
    assert (addon["status"], addon["addonVersion"], addon["serviceAccountRoleArn"], addon["tags"]) == ("ACTIVE", "v1.44.0-eksbuild.1", role, {"env": "dev"})
    assert addon["addonArn"].startswith("arn:aws:eks:us-east-1:123456789012:addon/addons1/aws-ebs-csi-driver/")
    eks.create_addon(clusterName="addons1", addonName="coredns")
    assert eks.list_addons(clusterName="addons1")["addons"] == ["aws-ebs-csi-driver", "coredns"]
    with pytest.raises(ClientError) as e:
        eks.create_addon(clusterName="addons1", addonName="coredns")
    assert _code(e) == "ResourceInUseException"
    update = eks.update_addon(clusterName="addons1", addonName="coredns", addonVersion="v1.11.4-eksbuild.2")["update"]
    assert eks.describe_update(name="addons1", updateId=update["id"], addonName="coredns")["update"]["status"] == "Successful"
    assert eks.describe_addon(clusterName="addons1", addonName="coredns")["addon"]["addonVersion"] == "v1.11.4-eksbuild.2"
    eks.tag_resource(resourceArn=addon["addonArn"], tags={"team": "a"})
    eks.untag_resource(resourceArn=addon["addonArn"], tagKeys=["env"])
    assert eks.list_tags_for_resource(resourceArn=addon["addonArn"])["tags"] == {"team": "a"}
    assert eks.delete_addon(clusterName="addons1", addonName="coredns")["addon"]["status"] == "DELETING"
    with pytest.raises(ClientError) as e:
        eks.describe_addon(clusterName="addons1", addonName="coredns")
    assert _code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        eks.create_addon(clusterName="missing", addonName="coredns")
    assert _code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        client("eks", validate=False).create_addon(clusterName="addons1")
    assert _code(e) == "ValidationException"
    versions = eks.describe_addon_versions(addonName="kube-proxy", kubernetesVersion="1.33")["addons"][0]["addonVersions"]
    assert [v["addonVersion"] for v in versions] == ["v1.33.0-eksbuild.2"]
    eks.delete_addon(clusterName="addons1", addonName="aws-ebs-csi-driver")
    eks.delete_cluster(name="addons1")


def test_eks_pod_identity_association_lifecycle(client: Callable[..., Any], ec2_subnet: str) -> None:
    eks = _cluster(client, ec2_subnet, "pods1")
    role = "arn:aws:iam::123456789012:role/lb-controller"
    created = eks.create_pod_identity_association(clusterName="pods1", namespace="kube-system", serviceAccount="aws-load-balancer-controller", roleArn=role, tags={"env": "dev"})["association"]
    aid = created["associationId"]
    assert aid.startswith("a-") and len(aid) == 19
    assert (created["roleArn"], created["disableSessionTags"], created["tags"]) == (role, False, {"env": "dev"})
    described = eks.describe_pod_identity_association(clusterName="pods1", associationId=aid)["association"]
    assert described["associationArn"] == f"arn:aws:eks:us-east-1:123456789012:podidentityassociation/pods1/{aid}"
    with pytest.raises(ClientError) as e:
        eks.create_pod_identity_association(clusterName="pods1", namespace="kube-system", serviceAccount="aws-load-balancer-controller", roleArn=role)
    assert _code(e) == "ResourceInUseException"
    listed = eks.list_pod_identity_associations(clusterName="pods1", namespace="kube-system")["associations"]
    assert [(a["associationId"], a["serviceAccount"]) for a in listed] == [(aid, "aws-load-balancer-controller")]
    assert eks.list_pod_identity_associations(clusterName="pods1", namespace="other")["associations"] == []
    other = "arn:aws:iam::123456789012:role/other"
    assert eks.update_pod_identity_association(clusterName="pods1", associationId=aid, roleArn=other)["association"]["roleArn"] == other
    assert eks.delete_pod_identity_association(clusterName="pods1", associationId=aid)["association"]["associationId"] == aid
    with pytest.raises(ClientError) as e:
        eks.describe_pod_identity_association(clusterName="pods1", associationId=aid)
    assert _code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        client("eks", validate=False).create_pod_identity_association(clusterName="pods1", namespace="kube-system", serviceAccount="x")
    assert _code(e) == "ValidationException"
    eks.delete_cluster(name="pods1")
