"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from config import TestConfig
from forum import create_app
from forum.extensions import db
from forum.models.search_index import include_object
from tests.conftest import drop_database, worker_database

# SQLite can't reflect the expression index on lower(email): batch mode reflects the tables
# a migration alters (and those they refer to) and says so; the index itself is untouched.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)


@pytest.fixture
def empty_database_url(tmp_path) -> Iterator[str]:
    """A brand-new, empty database of the kind the suite runs on."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    url = worker_database(base, "_migrations", fresh=True)  # one per xdist worker
    yield url
    drop_database(url)


def test_upgrade_builds_the_models_schema_and_downgrade_removes_it(empty_database_url):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn, warnings.catch_warnings():
            # Expression indexes (lower(username)) can't be reflected on SQLite.
            warnings.simplefilter("ignore")
            migration = MigrationContext.configure(conn, opts={"include_object": include_object})
            diff = compare_metadata(migration, db.metadata)
        assert diff == []
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
