"""DocumentDB: clusters and instances with Engine=docdb. DocumentDB is served by the RDS API (the docdb client
calls the same endpoint); moto 5.2.1's RDS backend refuses the engine, so this teaches it the engine's defaults."""

from __future__ import annotations

from typing import Any

from moto.rds.models import DBCluster, DBInstance
from moto.rds.responses import RDSResponse
from moto.rds.utils import ClusterEngine, DbInstanceEngine

from .core import ValidationError, wrap

DOCDB = "docdb"
_cluster_engines = ClusterEngine.list_cluster_engines
_instance_engines = DbInstanceEngine.valid_db_instance_engine
ClusterEngine.list_cluster_engines = classmethod(lambda cls: sorted([*_cluster_engines(), DOCDB]))  # type: ignore[method-assign,assignment]
DbInstanceEngine.valid_db_instance_engine = classmethod(lambda cls: sorted([*_instance_engines(), DOCDB]))  # type: ignore[method-assign,assignment]


def _with_docdb(cls: type, name: str, value: Any) -> None:
    original = getattr(cls, name)

    def patched(engine: str, *args: Any, **kwargs: Any) -> Any:
        return value if engine == DOCDB else original(engine, *args, **kwargs)

    setattr(cls, name, staticmethod(patched))


_with_docdb(DBCluster, "default_engine_version", "5.0.0")
_with_docdb(DBCluster, "default_port", 27017)
_with_docdb(DBCluster, "default_allocated_storage", 0)
_with_docdb(DBInstance, "default_port", 27017)
_with_docdb(DBInstance, "default_allocated_storage", 0)
DBInstance.default_engine_versions[DOCDB] = "5.0.0"

_original_cluster_init = DBCluster.__init__


def _cluster_init(self: Any, *args: Any, **kwargs: Any) -> None:
    _original_cluster_init(self, *args, **kwargs)
    if self.engine == DOCDB and self.parameter_group == "default.aurora8.0":
        self.parameter_group = "default.docdb5.0"
    if self.engine == DOCDB and not kwargs.get("storage_type"):
        # DocumentDB reports no StorageType unless one was asked for (moto defaults every cluster to gp2).
        self.storage_type = None


DBCluster.__init__ = _cluster_init  # type: ignore[method-assign]


@wrap(RDSResponse, "create_db_cluster")
def _create_db_cluster(self: Any, original: Any) -> Any:
    # moto answers a request without DBClusterIdentifier or Engine with a 500 (KeyError); AWS with MissingParameter.
    for name in ("DBClusterIdentifier", "Engine"):
        if not self.params.get(name):
            raise ValidationError("MissingParameter", f"The request must contain the parameter {name}")
    return original()
