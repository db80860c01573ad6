"""What every Continuity process shares: config, database, events, outbox, metrics.

Plain modules (``db``, ``bulk``, ``contracts``, ``applied``, ``outbox``, ``registry``,
``ids``, ``validation``…) import no nameko: domain code may use them. The nameko
side (``database``, ``events``, ``relay``, ``clock``, ``rpc``, ``topology``…) holds
the DependencyProviders and entrypoints. Nothing in here connects at import time;
the providers connect in ``setup()`` from ``self.container.config``. The kit names
no service: the services register themselves (``registry``).
"""
