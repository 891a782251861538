from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError

CONFIG = {
    "Name": "security-headers",
    "SecurityHeadersConfig": {
        "StrictTransportSecurity": {"Override": True, "AccessControlMaxAgeSec": 31536000, "IncludeSubdomains": True},
        "ContentTypeOptions": {"Override": True},
        "FrameOptions": {"Override": True, "FrameOption": "DENY"},
    },
}


def test_response_headers_policy_lifecycle_with_etags(client: Callable[..., Any]) -> None:
    cf = client("cloudfront")
    created = cf.create_response_headers_policy(ResponseHeadersPolicyConfig=CONFIG)
    pid, etag = created["ResponseHeadersPolicy"]["Id"], created["ETag"]
    got = cf.get_response_headers_policy(Id=pid)
    assert got["ETag"] == etag
    hsts = got["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]["StrictTransportSecurity"]
    assert (hsts["AccessControlMaxAgeSec"], hsts["IncludeSubdomains"]) == (31536000, True)
    assert cf.list_response_headers_policies()["ResponseHeadersPolicyList"]["Quantity"] == 1
    with pytest.raises(ClientError) as e:
        cf.update_response_headers_policy(Id=pid, IfMatch="stale", ResponseHeadersPolicyConfig=CONFIG)
    assert e.value.response["Error"]["Code"] == "PreconditionFailed"
    updated = cf.update_response_headers_policy(Id=pid, IfMatch=etag, ResponseHeadersPolicyConfig={**CONFIG, "Comment": "v2"})
    assert updated["ETag"] != etag
    assert cf.get_response_headers_policy_config(Id=pid)["ResponseHeadersPolicyConfig"]["Comment"] == "v2"
    cf.delete_response_headers_policy(Id=pid, IfMatch=updated["ETag"])
    with pytest.raises(ClientError) as e:
        cf.get_response_headers_policy(Id=pid)
    assert e.value.response["Error"]["Code"] == "NoSuchResponseHeadersPolicy"


def test_create_response_headers_policy_without_name_is_refused(client: Callable[..., Any]) -> None:
    with pytest.raises(ClientError) as e:
        client("cloudfront", validate=False).create_response_headers_policy(ResponseHeadersPolicyConfig={"Comment": "x"})
    assert e.value.response["Error"]["Code"] in ("MissingParameter", "ValidationException", "InvalidArgument")
