"""Backtests on Polars: rules compiled to columns with exactly the real-time semantics.

`PolarsBacktestEngine` implements `services.backtest.BacktestEngine`; `EventFrame` and
`FrameBuilder` hold the replay; `files.EventFile` reads event files and `labels.read_labels`
label files, for the CLI.
"""

from garrison.adapters.backtest.engine import Hits, PolarsBacktestEngine
from garrison.adapters.backtest.frame import EventFrame, FrameBuilder

__all__ = ["EventFrame", "FrameBuilder", "Hits", "PolarsBacktestEngine"]
