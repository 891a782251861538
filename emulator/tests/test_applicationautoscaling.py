from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError


def _target(aas: Any, tags: dict[str, str] | None = None) -> str:
    extra = {"Tags": tags} if tags else {}
    return aas.register_scalable_target(
        ServiceNamespace="dynamodb", ResourceId="table/t", ScalableDimension="dynamodb:table:ReadCapacityUnits",
        MinCapacity=1, MaxCapacity=3, **extra,
    )["ScalableTargetARN"]


def test_tags_given_at_register_are_listed_then_tagged_untagged_and_gone_with_the_target(client: Callable[..., Any]) -> None:
    aas = client("application-autoscaling")
    arn = _target(aas, {"env": "dev"})
    assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"env": "dev"}
    aas.tag_resource(ResourceARN=arn, Tags={"team": "a"})
    assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"env": "dev", "team": "a"}
    aas.untag_resource(ResourceARN=arn, TagKeys=["env"])
    assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"team": "a"}
    aas.deregister_scalable_target(ServiceNamespace="dynamodb", ResourceId="table/t", ScalableDimension="dynamodb:table:ReadCapacityUnits")
    with pytest.raises(ClientError) as e:
        aas.list_tags_for_resource(ResourceARN=arn)
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_tag_resource_without_tags_is_refused(client: Callable[..., Any]) -> None:
    aas = client("application-autoscaling", validate=False)
    arn = _target(aas)
    with pytest.raises(ClientError) as e:
        aas.tag_resource(ResourceARN=arn)
    assert e.value.response["Error"]["Code"] == "ValidationException"
