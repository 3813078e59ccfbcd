"""Everything the portal makes from a catalog: page bodies (Jinja templates), the page
head, structured data, feeds, calendars, open-data exports and JSON Schemas.

Imports the core only; never MkDocs or the command line (checked by import-linter).
"""
