"""S3: PutBucketLogging with a target bucket whose policy has a statement with a string principal ("*").

moto 5.2.1's check of the target bucket's policy reads every statement's Principal as a map and answers 500 on
`"Principal": "*"` (the TLS-only deny statement every bucket of the project carries); the provider then retries until
its timeout. AWS accepts such a policy. The check here reads only map principals and otherwise keeps moto's rules.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from moto.s3.models import FakeBucket

from .core import REGISTERED

_original = FakeBucket._log_permissions_enabled_policy


def _log_permissions_enabled_policy(target_bucket: Any, target_prefix: str | None) -> bool:
    policy = target_bucket.policy
    if not policy:
        return _original(target_bucket, target_prefix)
    doc = json.loads(policy.decode() if isinstance(policy, bytes) else policy)
    statements = doc.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    doc["Statement"] = [s for s in statements if isinstance(s.get("Principal"), dict)]
    view = SimpleNamespace(policy=json.dumps(doc).encode(), partition=target_bucket.partition, name=target_bucket.name)
    return _original(view, target_prefix)


FakeBucket._log_permissions_enabled_policy = staticmethod(_log_permissions_enabled_policy)
REGISTERED.append(("FakeBucket", "PutBucketLogging target policy with a string principal (read-back)"))
