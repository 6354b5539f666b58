"""Django's Redis cache backend, without building a new Redis client for every operation.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` creates a ``redis.Redis``
object per call (per ``get``, ``get_many``, ``set``…); redis-py 5+ fills a dictionary of
~170 response callbacks in that constructor, which costs more than the network round trip
itself and is the largest part of a page cache hit (measured: bench/README.md). A client is
only a thin wrapper around the connection pool and is safe to share between threads, so this
keeps one per pool. Everything else is Django's backend.

The shared cache is an aid, never a dependency: the page cache and the feedback limits catch
``UNAVAILABLE`` and carry on without it (pages rendered afresh, limits counted in the
database), so that a Redis outage slows the site down instead of taking it down. The
settings give the connection short timeouts (``env_cache``) so that an unreachable server
costs a request at most a second, not the kernel's minutes.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import RedisError

# What an unreachable or failing shared cache raises: redis-py's errors, the socket's own.
UNAVAILABLE = (RedisError, OSError)


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
