"""Sessions on a real database, with a service's schema; counting a model's rows;
PostgreSQL databases made for a test and dropped after it."""

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import sessionmaker

from services.common.db import ensure_schema, make_engine


def sessions_for(url: str, metadata) -> sessionmaker:
    engine = make_engine(url)
    ensure_schema(engine, metadata)
    return sessionmaker(engine, expire_on_commit=False)


def count(sessions, model) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


PG_ADMIN = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"


def drop_databases(prefix: str) -> None:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        names = conn.execute(
            text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
            {"p": prefix + "%"},
        ).scalars().all()
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()
