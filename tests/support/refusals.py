"""What a refused call answers: the code of the domain error it raises."""

from __future__ import annotations

import pytest


def code_of(error: type[Exception], call) -> str:
    """``call()`` must raise ``error``; its ``code`` (``no_seat``, …)."""
    with pytest.raises(error) as raised:
        call()
    return raised.value.code
