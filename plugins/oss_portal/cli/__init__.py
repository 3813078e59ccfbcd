"""The ``oss-portal`` command line: validate, schema, new (scaffolding), reference."""
