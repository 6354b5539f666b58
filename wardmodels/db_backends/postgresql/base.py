from django.db.backends.postgresql import base

from wardmodels.db_backends import FlushAsMaintenance


class DatabaseOperations(FlushAsMaintenance, base.DatabaseOperations):
    pass


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
