"""Sessions on a real database, with a service's schema."""

from sqlalchemy.orm import sessionmaker

from services.common.db import ensure_schema, make_engine


def sessions_for(url: str, metadata) -> sessionmaker:
    engine = make_engine(url)
    ensure_schema(engine, metadata)
    return sessionmaker(engine, expire_on_commit=False)
