from typing import Any, Callable


def test_trail_logging_and_delete_by_arn(client: Callable[..., Any]) -> None:
    s3 = client("s3")
    s3.create_bucket(Bucket="trail-logs", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    ct = client("cloudtrail")
    arn = ct.create_trail(Name="audit", S3BucketName="trail-logs", IsMultiRegionTrail=True)["TrailARN"]
    ct.start_logging(Name=arn)
    assert ct.get_trail_status(Name=arn)["IsLogging"] is True
    ct.stop_logging(Name=arn)
    assert ct.get_trail_status(Name="audit")["IsLogging"] is False
    ct.delete_trail(Name=arn)
    assert [t["Name"] for t in ct.describe_trails()["trailList"]] == []
