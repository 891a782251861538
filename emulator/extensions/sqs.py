"""SQS: redrive policies that keep the queue policy, RedriveAllowPolicy, and RedrivePolicy read back as AWS writes it.

moto 5.2.1 clears a queue's Policy on any SetQueueAttributes that does not name it (so an
aws_sqs_queue_redrive_policy would erase the aws_sqs_queue_policy), never returns RedriveAllowPolicy, and returns
RedrivePolicy re-serialized with spaces and the count as a number.
"""

from __future__ import annotations

import json
from typing import Any

from moto.sqs.models import Queue

_original_set_attributes = Queue._set_attributes
_original_attributes = Queue.attributes.fget

if "RedriveAllowPolicy" not in Queue.BASE_ATTRIBUTES:
    Queue.BASE_ATTRIBUTES.append("RedriveAllowPolicy")


def _set_attributes(self: Any, attributes: dict[str, Any], now: float | None = None) -> None:
    had_policy = getattr(self, "policy", None)
    if not hasattr(self, "redrive_allow_policy"):
        self.redrive_allow_policy = None
    _original_set_attributes(self, attributes, now)
    if "Policy" not in attributes:
        self.policy = had_policy
    if attributes.get("Policy") == "":
        self.policy = None
    if attributes.get("RedriveAllowPolicy") == "":
        self.redrive_allow_policy = None


def _attributes(self: Any) -> dict[str, Any]:
    result = _original_attributes(self)
    if self.redrive_policy:
        policy = dict(self.redrive_policy)
        result["RedrivePolicy"] = json.dumps(policy, separators=(",", ":"))
    return result


Queue._set_attributes = _set_attributes  # type: ignore[method-assign]
Queue.attributes = property(_attributes)  # type: ignore[assignment]
