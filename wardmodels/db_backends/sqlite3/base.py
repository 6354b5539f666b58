from django.db.backends.sqlite3 import base

from wardmodels.db_backends import FlushAsMaintenance


class DatabaseOperations(FlushAsMaintenance, base.DatabaseOperations):
    pass


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
