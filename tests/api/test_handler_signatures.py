"""Handler signatures use Litestar's explicit markers (FromPath, FromQuery, JSONBody, ...).

Litestar 2.25 still accepts the inferred and ``Parameter(query=...)`` styles with a
LitestarDeprecationWarning; 3.0 drops them, so building the app must warn about nothing.
"""

from __future__ import annotations

import warnings

from litestar.exceptions import LitestarDeprecationWarning

from app.main import build_app
from app.server.services import Services


def test_building_the_app_raises_no_litestar_deprecation(services: Services) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build_app(services=services, start_jobs=False)
    deprecated = [str(w.message) for w in caught if issubclass(w.category, LitestarDeprecationWarning)]
    assert deprecated == []
