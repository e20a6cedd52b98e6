"""Cobalto's test suite.

Imported before any conftest: the cheapest argon2 parameters for the hundreds of users
the tests create (subprocess servers inherit them). Production keeps the defaults.
"""

import os

os.environ.setdefault("COBALTO_FAST_PASSWORD_HASHING", "1")
