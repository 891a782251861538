"""Shared machinery for the project's moto extensions.

An extension adds an API operation to one of moto's response classes. Its request is parsed by moto's own
protocol parsers from botocore's service model (the shapes of the AWS API reference), required members of the
input shape are checked the way AWS checks them, and the result is serialized from the same model. State lives
on the moto backend object of the account/region, so moto's reset (POST /moto-api/reset) forgets it too.
"""

from __future__ import annotations

from typing import Any, Callable

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, BaseResponse
from moto.core.utils import camelcase_to_underscores, get_service_model

#: (response class name, operation name) of every operation an extension registered.
REGISTERED: list[tuple[str, str]] = []

_original_setup_class = BaseResponse.setup_class


def _setup_class(self: BaseResponse, request: Any, full_url: str, headers: Any, *args: Any, **kwargs: Any) -> None:
    # Keep the request: parse_parameters needs it for response classes that do not parse automatically.
    self._ext_request = request  # type: ignore[attr-defined]
    return _original_setup_class(self, request, full_url, headers, *args, **kwargs)


BaseResponse.setup_class = _setup_class  # type: ignore[method-assign]


class ValidationError(ServiceException):
    """A request the API refuses before looking at any resource."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


class NotFound(ServiceException):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


def _missing_code(protocol: str) -> str:
    # Query/EC2 services answer MissingParameter; JSON and REST services ValidationException.
    return "MissingParameter" if protocol in ("query", "ec2") else "ValidationException"


def missing_members(shape: Any, value: Any, path: str = "") -> list[str]:
    """Names (dotted) of required members absent from value, recursively through structures and lists."""
    if shape is None or value is None:
        return []
    missing: list[str] = []
    if shape.type_name == "structure":
        if not isinstance(value, dict):
            return missing
        for name in shape.required_members:
            if value.get(name) is None:
                missing.append(f"{path}{name}")
        for name, member in shape.members.items():
            if name in value:
                missing += missing_members(member, value[name], f"{path}{name}.")
    elif shape.type_name == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            missing += missing_members(shape.member, item, f"{path}{i}.")
    return missing


def parsed_params(response: BaseResponse) -> dict[str, Any]:
    """The request's parameters, parsed by moto's protocol parser from botocore's model of the operation."""
    if not getattr(response, "automated_parameter_parsing", False) or not hasattr(response, "params"):
        response.parse_parameters(response._ext_request)  # type: ignore[attr-defined]
    return dict(response.params or {})


def operation(response_cls: type, name: str, backend: Callable[[Any], Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Registers fn(backend, params, response) -> result dict as the operation `name` on response_cls.

    The result is serialized from botocore's output shape of the operation; a ServiceException raised by fn is
    serialized as the AWS error of that code.
    """

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        def method(self: BaseResponse) -> Any:
            service = get_service_model(self.boto3_service_name)
            op = service.operation_model(name)
            params = parsed_params(self)
            absent = missing_members(op.input_shape, params)
            if absent:
                raise ValidationError(
                    _missing_code(service.protocol),
                    f"1 validation error detected: Value null at '{absent[0]}' failed to satisfy constraint: Member must not be null"
                    if service.protocol not in ("query", "ec2")
                    else f"The request must contain the parameter {absent[0]}",
                )
            result = fn(backend(self), params, self)
            return ActionResult(result if result is not None else {})

        method.__name__ = camelcase_to_underscores(name)
        setattr(response_cls, method.__name__, method)
        REGISTERED.append((response_cls.__name__, name))
        return fn

    return register


def wrap(response_cls: type, method_name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Replaces an existing moto response method with fn(self, original) (for operations moto gets wrong)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        original = getattr(response_cls, method_name)

        def method(self: BaseResponse) -> Any:
            return fn(self, lambda: original(self))

        method.__name__ = method_name
        setattr(response_cls, method_name, method)
        REGISTERED.append((response_cls.__name__, f"{method_name} (read-back)"))
        return fn

    return register


def store(backend: Any, name: str) -> dict[str, Any]:
    """A dict kept on the moto backend (so a reset clears it)."""
    key = f"_ext_{name}"
    if not hasattr(backend, key):
        setattr(backend, key, {})
    return getattr(backend, key)


def tags_map(tags: Any) -> dict[str, str]:
    """Tags as a dict, from either a list of {Key, Value} or a map."""
    if isinstance(tags, dict):
        return dict(tags)
    return {t["Key"]: t.get("Value", "") for t in (tags or [])}


def tags_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]
