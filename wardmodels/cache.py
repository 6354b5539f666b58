"""Django's Redis cache backend, without building a new Redis client for every operation.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` creates a ``redis.Redis``
object per call (per ``get``, ``get_many``, ``set``…); redis-py 5+ fills a dictionary of
~170 response callbacks in that constructor, which costs more than the network round trip
itself and is the largest part of a page cache hit (measured: bench/README.md). A client is
only a thin wrapper around the connection pool and is safe to share between threads, so this
keeps one per pool. Everything else is Django's backend.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


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
