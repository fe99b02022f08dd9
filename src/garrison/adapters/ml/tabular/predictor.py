"""One row through a LightGBM booster in a few microseconds.

`Booster.predict` costs ~50 us per call on one row (argument checks, array conversions). LightGBM's
C API has a single-row fast path (`LGBM_BoosterPredictForMatSingleRowFast`) configured once; we
call it with ctypes on a reused row buffer. If the library lacks it, `predict` is the fallback.
"""

from __future__ import annotations

import ctypes
from typing import Any

import lightgbm as lgb
import numpy as np

_RAW_SCORE = 1
_FLOAT64 = 1


class RowPredictor:
    """Raw scores of single rows (float64, length `columns`) for one booster."""

    def __init__(self, booster: lgb.Booster, columns: int) -> None:
        self._booster = booster
        self._columns = columns
        self._out = np.zeros(1, dtype=np.float64)
        self._length = ctypes.c_int64()
        self._fast: Any = None
        self._config = ctypes.c_void_p()
        self._bound: np.ndarray | None = None
        self._row_ptr = ctypes.c_void_p()
        try:
            self._init_fast()
        except (AttributeError, OSError, lgb.basic.LightGBMError):
            self._fast = None

    def _init_fast(self) -> None:
        lib: Any = getattr(lgb.basic, "_LIB")  # noqa: B009 - the loaded C library, not exported
        status = lib.LGBM_BoosterPredictForMatSingleRowFastInit(
            self._booster._handle,
            ctypes.c_int(_RAW_SCORE),
            ctypes.c_int(0),
            ctypes.c_int(-1),
            ctypes.c_int(_FLOAT64),
            ctypes.c_int32(self._columns),
            ctypes.c_char_p(b"num_threads=1"),
            ctypes.byref(self._config),
        )
        if status != 0:
            raise lgb.basic.LightGBMError("single-row fast path unavailable")
        self._fast = lib.LGBM_BoosterPredictForMatSingleRowFast
        self._out_ptr = self._out.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
        self._length_ref = ctypes.byref(self._length)
        self._free = lib.LGBM_FastConfigFree

    @property
    def fast(self) -> bool:
        return self._fast is not None

    def raw(self, row: np.ndarray) -> float:
        """The raw score of `row`, a C-contiguous float64 array kept alive by the caller."""
        if self._fast is None:
            return float(self._booster.predict(row.reshape(1, -1), raw_score=True)[0])
        if row is not self._bound:
            self._bound, self._row_ptr = row, ctypes.c_void_p(row.ctypes.data)
        self._fast(self._config, self._row_ptr, self._length_ref, self._out_ptr)
        return float(self._out[0])

    def __del__(self) -> None:
        if getattr(self, "_fast", None) is not None and self._config:
            self._free(self._config)
