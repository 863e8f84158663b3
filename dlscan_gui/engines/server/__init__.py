"""``dlscan-cli serve``: the Huawei ``driver-license`` API over the offline engine, for the
counters of an office (``request`` parses the API's body, ``fetch`` gets a ``url`` image
safely, ``pool`` shares the engines, ``app`` is the WSGI application, ``serve`` runs it under
waitress)."""
