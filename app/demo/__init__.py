"""The demo tenant that ``cobalto run`` creates once, so a first look shows real work."""
