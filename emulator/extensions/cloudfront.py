"""CloudFront: response headers policies (Create/Get/GetConfig/Update/Delete/List), with ETags as AWS uses them."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from moto.cloudfront import urls
from moto.cloudfront.responses import CloudFrontResponse

from .core import NotFound, ValidationError, operation, store

urls.url_paths.update({
    "{0}/2020-05-31/response-headers-policy$": CloudFrontResponse.dispatch,
    "{0}/2020-05-31/response-headers-policy/(?P<policy_id>[^/]+)$": CloudFrontResponse.dispatch,
    "{0}/2020-05-31/response-headers-policy/(?P<policy_id>[^/]+)/config$": CloudFrontResponse.dispatch,
})


def _backend(response: Any) -> Any:
    return response.backend


def _policies(backend: Any) -> dict[str, dict[str, Any]]:
    return store(backend, "response_headers_policies")


def _policy(backend: Any, policy_id: str) -> dict[str, Any]:
    if policy_id not in _policies(backend):
        raise NotFound("NoSuchResponseHeadersPolicy", "The specified response headers policy does not exist.")
    return _policies(backend)[policy_id]


def _etag() -> str:
    return uuid.uuid4().hex[:14].upper()


def _view(p: dict[str, Any]) -> dict[str, Any]:
    return {"Id": p["Id"], "LastModifiedTime": p["LastModifiedTime"], "ResponseHeadersPolicyConfig": p["Config"]}


def _check_match(p: dict[str, Any], if_match: str | None) -> None:
    if not if_match:
        raise ValidationError("InvalidIfMatchVersion", "The If-Match version is missing or not valid for the resource.")
    if if_match != p["ETag"]:
        raise ValidationError("PreconditionFailed", "The precondition given in one or more of the request-header fields evaluated to false.")


@operation(CloudFrontResponse, "CreateResponseHeadersPolicy", _backend)
def create_response_headers_policy(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    config = params["ResponseHeadersPolicyConfig"]
    if any(p["Config"]["Name"] == config["Name"] for p in _policies(backend).values()):
        raise ValidationError("ResponseHeadersPolicyAlreadyExists", f"A response headers policy named {config['Name']} already exists.")
    policy_id = str(uuid.uuid4())
    _policies(backend)[policy_id] = {"Id": policy_id, "LastModifiedTime": datetime.now(timezone.utc), "Config": config, "ETag": _etag()}
    p = _policies(backend)[policy_id]
    return {"ResponseHeadersPolicy": _view(p), "ETag": p["ETag"], "Location": f"https://cloudfront.amazonaws.com/2020-05-31/response-headers-policy/{policy_id}"}


@operation(CloudFrontResponse, "GetResponseHeadersPolicy", _backend)
def get_response_headers_policy(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    p = _policy(backend, params["Id"])
    return {"ResponseHeadersPolicy": _view(p), "ETag": p["ETag"]}


@operation(CloudFrontResponse, "GetResponseHeadersPolicyConfig", _backend)
def get_response_headers_policy_config(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    p = _policy(backend, params["Id"])
    return {"ResponseHeadersPolicyConfig": p["Config"], "ETag": p["ETag"]}


@operation(CloudFrontResponse, "ListResponseHeadersPolicies", _backend)
def list_response_headers_policies(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    items = [{"Type": "custom", "ResponseHeadersPolicy": _view(p)} for p in _policies(backend).values()]
    return {"ResponseHeadersPolicyList": {"MaxItems": 100, "Quantity": len(items), "Items": items}}


@operation(CloudFrontResponse, "UpdateResponseHeadersPolicy", _backend)
def update_response_headers_policy(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    p = _policy(backend, params["Id"])
    _check_match(p, params.get("IfMatch"))
    p.update(Config=params["ResponseHeadersPolicyConfig"], LastModifiedTime=datetime.now(timezone.utc), ETag=_etag())
    return {"ResponseHeadersPolicy": _view(p), "ETag": p["ETag"]}


@operation(CloudFrontResponse, "DeleteResponseHeadersPolicy", _backend)
def delete_response_headers_policy(backend: Any, params: dict[str, Any], _: Any) -> dict[str, Any]:
    p = _policy(backend, params["Id"])
    _check_match(p, params.get("IfMatch"))
    del _policies(backend)[p["Id"]]
    return {}
