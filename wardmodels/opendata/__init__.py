"""Open data (dữ liệu mở): the register's public facts as files anyone may reuse.

The site layer composes the register and the campaigns here: ``datasets`` defines the files
(data, one place), ``writers`` streams them as CSV and JSON, ``metadata`` describes them
(Frictionless Data Package, DCAT catalogue), ``feed`` lists the public changes (Atom).
"""
