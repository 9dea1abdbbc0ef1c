"""Event data at scale: GDELT, ICEWS and POLECAT into dyad-month cooperation and conflict.

One pipeline (:mod:`.pipeline`, Ibis expressions) run by DuckDB or by Spark
(:mod:`.engine`); raw files are staged to Parquet by year-month first (:mod:`.stage`).
See docs/events.md.
"""

from allegiance.store.events.engine import ENGINES, EngineError, connect
from allegiance.store.events.run import OUTPUTS, EventBuild, build_events, read_output, run
from allegiance.store.events.stage import stage

__all__ = [
    "ENGINES",
    "OUTPUTS",
    "EngineError",
    "EventBuild",
    "build_events",
    "connect",
    "read_output",
    "run",
    "stage",
]
