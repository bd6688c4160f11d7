"""Where the landscape's SQL runs: DuckDB on one machine, Apache Spark (PySpark) on a cluster, the same query text.

An engine reads Parquet files as named tables, keeps intermediate results (`materialise`) and returns rows. The
queries (indicators.py) use only what both dialects share: joins, GROUP BY, CASE, window functions,
`percentile_cont(...) WITHIN GROUP (ORDER BY ...)`; lists are unnested beforehand (facts.py).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from kizashi.errors import InputError
from kizashi.messages import Message

ENGINES = ("duckdb", "spark")


class Engine(Protocol):
    name: str

    def register(self, name: str, paths: Sequence[Path]) -> None: ...

    def materialise(self, name: str, sql: str) -> None: ...

    def view(self, name: str, sql: str) -> None: ...

    def rows(self, sql: str) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, threads: int | None = None) -> None:
        import duckdb

        self._connection = duckdb.connect(":memory:")
        if threads:
            self._connection.execute(f"SET threads = {int(threads)}")

    def register(self, name: str, paths: Sequence[Path]) -> None:
        files = ", ".join(_quoted(str(path)) for path in paths)
        self._connection.execute(
            f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet([{files}], union_by_name = true)"
        )

    def materialise(self, name: str, sql: str) -> None:
        self._connection.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def view(self, name: str, sql: str) -> None:
        self._connection.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")

    def rows(self, sql: str) -> list[dict[str, Any]]:
        return self.arrow(sql).to_pylist()  # type: ignore[no-any-return]

    def arrow(self, sql: str) -> Any:
        """The result as an Arrow table (for facts.py, which writes Parquet on this machine)."""
        result = self._connection.execute(sql)
        # to_arrow_table since DuckDB 1.4; fetch_arrow_table before (deprecated since).
        fetch = getattr(result, "to_arrow_table", None) or result.fetch_arrow_table
        return fetch()

    def close(self) -> None:
        self._connection.close()


class SparkEngine:
    """Spark SQL through PySpark: `master` is a cluster's URL, or local mode on this machine's cores."""

    name = "spark"

    def __init__(self, master: str | None = None) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise InputError(
                Message("the Spark engine needs PySpark and a Java runtime: pip install 'kizashi[spark]'"),
                field="--engine",
            ) from None
        os.environ.setdefault("PYSPARK_PYTHON", os.environ.get("PYSPARK_PYTHON", "python3"))
        builder = (
            SparkSession.builder.master(master or "local[*]")
            .appName("kizashi-scan")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            # Spark's default of 200 shuffle partitions suits a cluster; local mode wants a handful.
            .config("spark.sql.shuffle.partitions", "8" if not master or master.startswith("local") else "200")
            .config("spark.sql.ansi.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
        )
        self._spark = builder.getOrCreate()
        self._spark.sparkContext.setLogLevel("ERROR")
        self._cached: list[Any] = []

    def register(self, name: str, paths: Sequence[Path]) -> None:
        frame = self._spark.read.option("mergeSchema", "true").parquet(*(str(path) for path in paths))
        frame.createOrReplaceTempView(name)

    def materialise(self, name: str, sql: str) -> None:
        frame = self._spark.sql(sql).cache()
        self._cached.append(frame)
        frame.createOrReplaceTempView(name)

    def view(self, name: str, sql: str) -> None:
        self._spark.sql(sql).createOrReplaceTempView(name)

    def rows(self, sql: str) -> list[dict[str, Any]]:
        return self._spark.sql(sql).toArrow().to_pylist()  # type: ignore[no-any-return]

    def close(self) -> None:
        for frame in self._cached:
            frame.unpersist()
        self._cached.clear()
        # The session is kept for the next scan in this process: starting the JVM is the slow part.


def open_engine(name: str, *, spark_master: str | None = None) -> Engine:
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        return SparkEngine(spark_master)
    raise unknown_engine(name)


def unknown_engine(name: str) -> InputError:
    """The refusal of an engine that is none of ENGINES (the request's check and `open_engine` say the same)."""
    first, second = ENGINES  # named one by one, so that Japanese joins them in its own words
    return InputError(
        Message("unknown engine '{engine}' (choose {first} or {second})", engine=name, first=first, second=second),
        field="--engine",
    )


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
