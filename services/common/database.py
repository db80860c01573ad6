"""The database dependency: one engine per process, the schema ensured at start.

Service code: ``with self.db.begin() as session:`` commits or rolls back.
"""

from __future__ import annotations

from collections.abc import Callable

from nameko.extensions import DependencyProvider
from sqlalchemy import MetaData, text
from sqlalchemy.orm import sessionmaker

from .db import ensure_schema, make_engine


class Database(DependencyProvider):
    """Injects a ``sessionmaker``; creates this service's database and schema."""

    def __init__(self, metadata: MetaData, on_ready: Callable | None = None):
        self.metadata = metadata
        self.on_ready = on_ready

    def setup(self) -> None:
        url = self.container.config["DATABASE_URL"]
        config = self.container.config
        self.engine = make_engine(url, config.get("max_workers", 10),
                                  pool_size=config.get("DB_POOL_SIZE", 0),
                                  max_overflow=config.get("DB_MAX_OVERFLOW", 10))
        ensure_schema(self.engine, self.metadata)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        if self.on_ready is not None:
            self.on_ready(self.sessions, self.container.config)

    def ready(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    def stop(self) -> None:
        self.engine.dispose()

    def kill(self) -> None:
        self.engine.dispose()

    def get_dependency(self, worker_ctx) -> sessionmaker:
        return self.sessions


class DataFile(DependencyProvider):
    """Data operators edit (rules, plans): loaded at start from a path in config."""

    def __init__(self, loader: Callable, config_key: str):
        self.loader = loader
        self.config_key = config_key

    def setup(self) -> None:
        self.value = self.loader(self.container.config.get(self.config_key) or None)

    def get_dependency(self, worker_ctx):
        return self.value
