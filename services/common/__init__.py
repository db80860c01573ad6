"""What every Continuity process shares: config, database, events, outbox, metrics.

Nothing in here connects at import time; the nameko DependencyProviders connect in
``setup()`` from ``self.container.config``.
"""
