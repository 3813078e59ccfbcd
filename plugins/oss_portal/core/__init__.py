"""The domain core: content models, reading content files with source positions,
validation with German messages, and the cross-linked catalog.

Nothing here imports the outputs, MkDocs or the command line (checked by import-linter).
"""
