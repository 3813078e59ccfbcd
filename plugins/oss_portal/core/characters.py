"""The characters that no text of the portal may hold (no dependencies: the models and
the rendering both use it)."""

from __future__ import annotations

#: A regular-expression character class of what XML 1.0 forbids (or, for C1 controls,
#: discourages) and what has no business in any output: C0 controls except tab, line
#: feed and carriage return, DEL, the C1 controls, lone surrogates and the non-characters
#: U+FFFE/U+FFFF. The outputs remove them; the models reject them (and carriage returns).
FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
