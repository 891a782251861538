from datetime import datetime
from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError


def test_cloudfront_distribution_arn_has_an_empty_region_field(client: Callable[..., Any]) -> None:
    cf = client("cloudfront")
    config = {
        "CallerReference": "r1", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "example.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "redirect-to-https", "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
    }
    oac = cf.create_origin_access_control(OriginAccessControlConfig={"Name": "oac", "SigningProtocol": "sigv4", "SigningBehavior": "always", "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]
    config["Origins"]["Items"][0]["OriginAccessControlId"] = oac
    dist = cf.create_distribution(DistributionConfig=config)["Distribution"]
    assert dist["ARN"].split(":")[2:4] == ["cloudfront", ""]
    got = cf.get_distribution(Id=dist["Id"])["Distribution"]["DistributionConfig"]
    assert got["Origins"]["Items"][0]["OriginAccessControlId"] == oac
    assert "ForwardedValues" not in got["DefaultCacheBehavior"]
    assert "SSLSupportMethod" not in got["ViewerCertificate"]
    shield = client("shield")
    pid = shield.create_protection(Name="cdn", ResourceArn=dist["ARN"])["ProtectionId"]
    assert shield.describe_protection(ProtectionId=pid)["Protection"]["ResourceArn"] == dist["ARN"]


def test_cloudfront_default_behaviour_may_target_an_origin_group(client: Callable[..., Any]) -> None:
    cf = client("cloudfront")
    origin = lambda i: {"Id": i, "DomainName": f"{i}.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}  # noqa: E731
    config = {
        "CallerReference": "r2", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 2, "Items": [origin("primary"), origin("secondary")]},
        "OriginGroups": {"Quantity": 1, "Items": [{"Id": "group", "FailoverCriteria": {"StatusCodes": {"Quantity": 1, "Items": [503]}}, "Members": {"Quantity": 2, "Items": [{"OriginId": "primary"}, {"OriginId": "secondary"}]}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "group", "ViewerProtocolPolicy": "redirect-to-https", "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
    }
    dist = cf.create_distribution(DistributionConfig=config)["Distribution"]
    assert cf.get_distribution(Id=dist["Id"])["Distribution"]["DistributionConfig"]["DefaultCacheBehavior"]["TargetOriginId"] == "group"
    bad = {**config, "CallerReference": "r3", "DefaultCacheBehavior": {**config["DefaultCacheBehavior"], "TargetOriginId": "nowhere"}}
    with pytest.raises(ClientError) as e:
        cf.create_distribution(DistributionConfig=bad)
    assert e.value.response["Error"]["Code"] == "NoSuchOrigin"


def test_codedeploy_application_create_time_is_a_timestamp(client: Callable[..., Any]) -> None:
    cd = client("codedeploy")
    cd.create_application(applicationName="app", computePlatform="ECS")
    assert isinstance(cd.get_application(applicationName="app")["application"]["createTime"], datetime)


def test_cancel_rotate_secret_on_managed_rotation_without_lambda(client: Callable[..., Any]) -> None:
    sm = client("secretsmanager")
    arn = sm.create_secret(Name="db", SecretString="{}")["ARN"]
    sm.rotate_secret(SecretId=arn, RotationRules={"AutomaticallyAfterDays": 7}, RotateImmediately=False)
    assert sm.describe_secret(SecretId=arn)["RotationEnabled"] is True
    sm.cancel_rotate_secret(SecretId=arn)
    assert sm.describe_secret(SecretId=arn)["RotationEnabled"] is False
