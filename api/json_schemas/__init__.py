"""The published JSON Schemas of the public API (draft 2020-12), from the one contract.

* ``documents``: the catalogue of documents and their conversion from the OpenAPI document;
* ``files``: the committed copies in ``schemas/v1/`` (``manage.py export_schemas [--check]``);
* ``views``: ``GET /api/v1/schemas/`` and ``GET /api/v1/schemas/{name}.json``.
"""
