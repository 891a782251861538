"""Small read-back fixes where moto returns a value AWS never would:

- CloudFront distribution ARNs without their (empty) region field, `arn:aws:cloudfront:<account>:distribution/ID`,
  which the provider refuses as aws_shield_protection.resource_arn; origins without their OriginAccessControlId;
  cache behaviours with ForwardedValues and TTLs invented beside a cache policy; a default cache behaviour that
  targets an origin group (moto refuses it with NoSuchOrigin: it looks for the id among the origins only); a
  viewer certificate with an SSLSupportMethod invented beside the default CloudFront certificate;
- CodeDeploy application createTime as an ISO string where the API (JSON protocol) returns epoch seconds, so the
  SDK cannot read GetApplication;
- Secrets Manager CancelRotateSecret refused on a secret with managed rotation (no rotation Lambda: RDS-managed
  secrets), so the destroy of an aws_secretsmanager_secret_rotation fails.
"""

from __future__ import annotations

import time
from typing import Any

from moto.cloudfront.models import DefaultCacheBehaviour, Distribution, DistributionConfig, Origin, ViewerCertificate
from moto.codedeploy.models import Application
from moto.secretsmanager.models import SecretsManagerBackend

_distribution_init = Distribution.__init__


def _distribution(self: Any, account_id: str, region_name: str, *args: Any, **kwargs: Any) -> None:
    _distribution_init(self, account_id, region_name, *args, **kwargs)
    partition = self.arn.split(":")[1]
    self.arn = f"arn:{partition}:cloudfront::{account_id}:distribution/{self.distribution_id}"


Distribution.__init__ = _distribution  # type: ignore[method-assign]

_origin_init = Origin.__init__


def _origin(self: Any, origin: dict[str, Any]) -> None:
    _origin_init(self, origin)
    self.origin_access_control_id = origin.get("OriginAccessControlId") or ""


Origin.__init__ = _origin  # type: ignore[method-assign]

_behaviour_init = DefaultCacheBehaviour.__init__


def _behaviour(self: Any, config: dict[str, Any]) -> None:
    _behaviour_init(self, config)
    if config.get("CachePolicyId"):
        # With a cache policy, AWS keeps no legacy cache settings on the behaviour.
        for key, attr in (("ForwardedValues", "forwarded_values"), ("MinTTL", "min_ttl"), ("DefaultTTL", "default_ttl"), ("MaxTTL", "max_ttl")):
            if key not in config:
                setattr(self, attr, None)


DefaultCacheBehaviour.__init__ = _behaviour  # type: ignore[method-assign]

_certificate_init = ViewerCertificate.__init__


def _certificate(self: Any, config: dict[str, Any]) -> None:
    _certificate_init(self, config)
    if not config.get("SSLSupportMethod"):
        self.ssl_support_method = None


ViewerCertificate.__init__ = _certificate  # type: ignore[method-assign]

_config_init = DistributionConfig.__init__


def _distribution_config(self: Any, config: dict[str, Any]) -> None:
    behaviour = config.get("DefaultCacheBehavior") or {}
    target = behaviour.get("TargetOriginId")
    groups = [g.get("Id") for g in ((config.get("OriginGroups") or {}).get("Items") or [])]
    origins = [o.get("Id") if isinstance(o, dict) else o.id for o in ((config.get("Origins") or {}).get("Items") or [])]
    if target in groups and target not in origins and origins:
        # Let moto's check pass with an origin, then point the behaviour back at its origin group.
        config["DefaultCacheBehavior"] = {**behaviour, "TargetOriginId": origins[0]}
        _config_init(self, config)
        self.DefaultCacheBehavior.target_origin_id = target
        return
    _config_init(self, config)


DistributionConfig.__init__ = _distribution_config  # type: ignore[method-assign]

_application_init = Application.__init__


def _application(self: Any, *args: Any, **kwargs: Any) -> None:
    _application_init(self, *args, **kwargs)
    self.create_time = time.time()


Application.__init__ = _application  # type: ignore[method-assign]

_cancel_rotate_secret = SecretsManagerBackend.cancel_rotate_secret


def _cancel(self: Any, secret_id: str) -> str:
    secret = self.secrets.get(secret_id) if self._is_valid_identifier(secret_id) else None
    if secret is not None and not getattr(secret, "rotation_lambda_arn", None) and not secret.is_deleted() and getattr(secret, "rotation_enabled", False):
        secret.rotation_enabled = False
        return secret.to_short_dict()
    return _cancel_rotate_secret(self, secret_id)


SecretsManagerBackend.cancel_rotate_secret = _cancel  # type: ignore[method-assign]
