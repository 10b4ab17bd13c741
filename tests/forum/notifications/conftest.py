import pytest
from channels.db import database_sync_to_async
from django.db import connections


@pytest.fixture
async def close_thread_connections():
    """Async tests reach the database from channels' worker thread; close its connection
    afterwards so PostgreSQL can drop the test database at the end of the run."""
    yield
    await database_sync_to_async(connections.close_all)()
