"""The MkDocs adapter: the plugin's hooks and the build machinery around them (atomic
site replacement, pages rendered in a second process, the serve cache). The only part of
the package that imports MkDocs or Material; every private interface it relies on is
listed in :mod:`.internals`.
"""
