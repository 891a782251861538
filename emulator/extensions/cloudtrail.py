"""CloudTrail: StartLogging, StopLogging and DeleteTrail by trail ARN.

AWS takes a trail's name or ARN in each of these calls (the provider sends the ARN); moto 5.2.1 looks the trail up by
name only and answers 500 on an ARN, so `aws_cloudtrail` never finishes creating. Every other moto call here already
resolves either form (CloudTrailBackend.get_trail).
"""

from __future__ import annotations

from moto.cloudtrail.models import CloudTrailBackend

from .core import REGISTERED


def _start_logging(self: CloudTrailBackend, name: str) -> None:
    self.get_trail(name_or_arn=name).start_logging()


def _stop_logging(self: CloudTrailBackend, name: str) -> None:
    self.get_trail(name_or_arn=name).stop_logging()


def _delete_trail(self: CloudTrailBackend, name: str) -> None:
    for key, trail in list(self.trails.items()):
        if name in (key, trail.arn):
            del self.trails[key]


CloudTrailBackend.start_logging = _start_logging  # type: ignore[method-assign]
CloudTrailBackend.stop_logging = _stop_logging  # type: ignore[method-assign]
CloudTrailBackend.delete_trail = _delete_trail  # type: ignore[method-assign]
REGISTERED.append(("CloudTrailBackend", "StartLogging/StopLogging/DeleteTrail by ARN (read-back)"))
