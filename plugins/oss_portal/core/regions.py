"""Regions of communities and events: the 16 Länder (ISO 3166-2 codes), the Bund, and
international work.

The table is short and fixed by the Basic Law, so it is written out here rather than
taken from a library (pycountry would add a dependency for 16 names). Contributors write
the code (``DE-NW``); readers see the name, and each region has a page at
``/regionen/<slug>/``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """One region: its code as contributors write it, its name and its address slug."""

    code: str
    name: str
    slug: str

    @property
    def is_land(self) -> bool:
        """True for the 16 Länder (their pages also list the Bund-wide entries)."""
        return self.code.startswith("DE-")


#: Every region, in the order pages list them: the Bund, the Länder by name, international.
REGIONS: tuple[Region, ...] = (
    Region("bund", "Bund (bundesweit)", "bund"),
    Region("DE-BW", "Baden-Württemberg", "baden-wuerttemberg"),
    Region("DE-BY", "Bayern", "bayern"),
    Region("DE-BE", "Berlin", "berlin"),
    Region("DE-BB", "Brandenburg", "brandenburg"),
    Region("DE-HB", "Bremen", "bremen"),
    Region("DE-HH", "Hamburg", "hamburg"),
    Region("DE-HE", "Hessen", "hessen"),
    Region("DE-MV", "Mecklenburg-Vorpommern", "mecklenburg-vorpommern"),
    Region("DE-NI", "Niedersachsen", "niedersachsen"),
    Region("DE-NW", "Nordrhein-Westfalen", "nordrhein-westfalen"),
    Region("DE-RP", "Rheinland-Pfalz", "rheinland-pfalz"),
    Region("DE-SL", "Saarland", "saarland"),
    Region("DE-SN", "Sachsen", "sachsen"),
    Region("DE-ST", "Sachsen-Anhalt", "sachsen-anhalt"),
    Region("DE-SH", "Schleswig-Holstein", "schleswig-holstein"),
    Region("DE-TH", "Thüringen", "thueringen"),
    Region("international", "International", "international"),
)
BY_CODE: dict[str, Region] = {region.code: region for region in REGIONS}
CODES: tuple[str, ...] = tuple(BY_CODE)

#: What contributors write instead of a code, and the code they mean.
_ALIASES: dict[str, str] = {
    **{region.name.casefold(): region.code for region in REGIONS},
    **{region.slug: region.code for region in REGIONS},
    **{region.code.removeprefix("DE-").casefold(): region.code for region in REGIONS},
    "nrw": "DE-NW",
    "bundesweit": "bund",
    "deutschland": "bund",
    "de": "bund",
    "eu": "international",
    "europa": "international",
}


def suggest(value: str) -> str | None:
    """The region code a contributor probably meant by ``value`` (``NRW`` -> ``DE-NW``)."""
    text = value.strip().casefold()
    if text in _ALIASES:
        return _ALIASES[text]
    if text.upper() in BY_CODE:
        return text.upper()
    close = difflib.get_close_matches(text, list(_ALIASES), n=1, cutoff=0.75)
    return _ALIASES[close[0]] if close else None
