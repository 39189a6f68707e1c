"""Baken's help-lines as Open Referral HSDS 3.0.1 (Human Services Data Specification), read-only,
at ``/api/hsds/v3/``: the meta endpoint, ``services`` and ``organizations``, as the HSDS API's
OpenAPI document describes them.

* ``mapping``: pure functions from a presented help-line to HSDS dicts (the mapping table);
* ``selectors``: the two bulk lookups the mapping needs besides the presented help-line;
* ``params``, ``pagination``: query parameters (strict, like the rest of the API) and the HSDS
  Page envelope;
* ``views``, ``urls``: the endpoints, which share the public API's behaviour
  (``api.views.PublicAPIMixin``): visibility, language, ETag and Cache-Control, problem+json errors;
* ``validation``: the compiled HSDS service schema (vendored in ``schemas/``, CC BY-SA 4.0), for
  ``manage.py import_hsds`` (cms/importers/hsds.py), which reads services back into help-lines.
"""
