"""The two engines the pipeline runs on: DuckDB (embedded) and Spark (local or Spark Connect).

Only I/O differs between them (how Parquet is read and written, how a session starts);
the transformation is the same Ibis expression (:mod:`.pipeline`).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import pandas as pd

ENGINES = ("duckdb", "spark")


class EngineError(RuntimeError):
    """An engine cannot be started (no JVM, Spark Connect unreachable, ...)."""


def is_uri(path) -> bool:
    return "://" in str(path)


@dataclass
class Engine:
    """An Ibis backend and how it reads and writes Parquet."""

    name: str
    con: object
    session: object = None
    _owns_session: bool = field(default=False, repr=False)

    def read_parquet(self, path) -> ibis.Table:
        """Every Parquet file under ``path`` (a folder laid out by year-month, or one file)."""
        if self.name == "duckdb":
            target = str(path)
            if not is_uri(target) and Path(target).is_dir():
                target = str(Path(target) / "**" / "*.parquet")
            return self.con.read_parquet(target, hive_partitioning=False)
        return self.con.read_parquet(str(path))

    def written(self, path, expr) -> ibis.Table:
        """What was written to ``path``, read back; ``expr`` itself when it wrote no file
        (an empty result leaves a partitioned folder without files)."""
        if not is_uri(path) and not any(Path(path).rglob("*.parquet")):
            return expr
        return self.read_parquet(path)

    def table(self, frame: pd.DataFrame) -> ibis.Table:
        """A small lookup table. Text columns go in as Python objects: PySpark 4.0's Spark
        Connect client cannot convert pandas 3's Arrow-backed strings."""
        text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c])]
        return ibis.memtable(frame.astype({c: object for c in text}))

    def write(self, expr, path, partition_by: str | None = None) -> None:
        """Write ``expr`` as Parquet under the folder ``path`` (replaced if it exists)."""
        target = str(path)
        if not is_uri(target):
            shutil.rmtree(target, ignore_errors=True)
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        if self.name == "duckdb":
            if partition_by:
                self.con.to_parquet(expr, target, partition_by=partition_by)
            else:
                os.makedirs(target, exist_ok=True)
                self.con.to_parquet(expr, os.path.join(target, "part-0.parquet"))
            return
        options = {"mode": "overwrite"}
        if partition_by:
            options["partitionBy"] = partition_by
        self.con.to_parquet(expr, target, **options)

    def execute(self, expr) -> pd.DataFrame:
        return self.con.execute(expr)

    def close(self) -> None:
        if self.name == "spark" and self._owns_session and self.session is not None:
            self.session.stop()
        elif self.name == "duckdb":
            self.con.disconnect()


def spark_session(master: str = "local[2]", remote: str | None = None):
    """A Spark session: local (``local[2]``) or a Spark Connect client (``sc://host:port``)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - pyspark is a dependency
        raise EngineError(f"pyspark is not installed ({exc})") from exc
    if remote:
        try:
            return SparkSession.builder.remote(remote).getOrCreate()
        except Exception as exc:  # noqa: BLE001 - the connect client raises many kinds
            raise EngineError(f"cannot reach the Spark Connect server at {remote}: {exc}") from exc
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise EngineError(
            "Spark needs a Java runtime and none was found; install one (Debian: "
            "apt-get install default-jre-headless) or use --engine duckdb"
        )
    return (
        SparkSession.builder.master(master)
        .appName("allegiance-events")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.driver.memory", os.environ.get("ALLEGIANCE_SPARK_MEMORY", "2g"))
        .getOrCreate()
    )


def connect(
    engine: str = "duckdb",
    *,
    spark_remote: str | None = None,
    spark_master: str = "local[2]",
    session=None,
    threads: int | None = None,
    memory_limit: str | None = None,
    temp_directory: str | None = None,
) -> Engine:
    """Start an engine.

    Parameters
    ----------
    engine : {"duckdb", "spark"}
    spark_remote : str, optional
        ``sc://HOST:PORT`` of a Spark Connect server (``--spark-remote``).
    spark_master : str
        The master of a local Spark session (default ``local[2]``).
    session : pyspark.sql.SparkSession, optional
        An existing Spark session to use (tests share one).
    threads, memory_limit, temp_directory : optional
        DuckDB settings (``memory_limit="3GB"`` spills to ``temp_directory`` beyond it).
    """
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "duckdb":
        # Row order of the outputs carries no meaning; not keeping it lets DuckDB write
        # Parquet in parallel and with less memory.
        config = {"preserve_insertion_order": False}
        if threads:
            config["threads"] = int(threads)
        if memory_limit:
            config["memory_limit"] = memory_limit
        if temp_directory:
            config["temp_directory"] = str(temp_directory)
        return Engine("duckdb", ibis.duckdb.connect(**config))
    owns = session is None
    session = session or spark_session(spark_master, spark_remote)
    return Engine("spark", ibis.pyspark.connect(session), session, owns)
