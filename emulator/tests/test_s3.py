import json
from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError


def _policy(bucket: str, with_logging: bool) -> str:
    statements: list[dict[str, Any]] = [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }]
    if with_logging:
        statements.append({"Sid": "S3ServerAccessLogs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
                           "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/*"})
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def test_put_bucket_logging_accepts_a_target_policy_with_a_string_principal(client: Callable[..., Any]) -> None:
    s3 = client("s3")
    for b in ("logs-target", "logged-source"):
        s3.create_bucket(Bucket=b, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_bucket_policy(Bucket="logs-target", Policy=_policy("logs-target", with_logging=True))
    s3.put_bucket_logging(Bucket="logged-source", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "logs-target", "TargetPrefix": "s3/"}})
    assert s3.get_bucket_logging(Bucket="logged-source")["LoggingEnabled"]["TargetBucket"] == "logs-target"


def test_put_bucket_logging_still_refuses_a_target_that_does_not_allow_the_logging_service(client: Callable[..., Any]) -> None:
    s3 = client("s3")
    for b in ("closed-target", "other-source"):
        s3.create_bucket(Bucket=b, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_bucket_policy(Bucket="closed-target", Policy=_policy("closed-target", with_logging=False))
    with pytest.raises(ClientError) as e:
        s3.put_bucket_logging(Bucket="other-source", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "closed-target", "TargetPrefix": ""}})
    assert e.value.response["Error"]["Code"] == "InvalidTargetBucketForLogging"
