"""The project's extensions to moto: API calls moto lacks or reads back differently, registered before serving.

Importing this package registers every extension (see core.REGISTERED for the list).
"""

from . import core  # noqa: F401  (patches BaseResponse first)
from . import applicationautoscaling, backup, cloudfront, cloudtrail, docdb, ec2, efs, eks, eks_addons, elasticache, kafka, rds, readbacks, readbacks_services, s3, sqs, xray  # noqa: F401

REGISTERED = core.REGISTERED
