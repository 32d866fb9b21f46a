"""The anonymity rule of a regional comparison, in one place.

Anonymized, names become codes K01, K02, … in an order fixed by a checksum of each municipality's AGS
or name (so the codes follow neither the alphabet nor the AGS), and group figures are shown only for
groups of at least ``MIN_GROUP`` municipalities. A view by kind or by state is withheld as a whole when
the municipalities outside its shown groups are fewer than ``MIN_GROUP``: the overall figures minus the
shown groups would give them away.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from stufenplan_cli.domain.models.comparison import CODE_PREFIX, MIN_GROUP
from stufenplan_cli.domain.models.sheet import Municipality
from stufenplan_cli.services.compare.profiles import identities, identity


def codes(municipalities: Iterable[Municipality]) -> dict[str, str]:
    """K01, K02 … per municipality identity, in an order fixed by a checksum (not name or AGS order)."""
    listed = list(municipalities)
    known = identities(listed)
    keys = sorted(
        {identity(m, known) for m in listed}, key=lambda i: hashlib.sha256(i.encode("utf-8")).hexdigest()
    )
    width = max(2, len(str(len(keys))))
    return {key: f"{CODE_PREFIX}{n:0{width}d}" for n, key in enumerate(keys, start=1)}


def group_minimum(anonymize: bool) -> int:
    """The smallest group whose figures are shown: ``MIN_GROUP`` anonymized, else any."""
    return MIN_GROUP if anonymize else 1


def withhold_view(anonymize: bool, shown_sizes: Iterable[int], total: int) -> bool:
    """Whether a view by kind or state must be withheld: anonymized, the few left outside its shown
    groups (fewer than the minimum, but some) could be worked out from the overall figures."""
    sizes = list(shown_sizes)
    rest = total - sum(sizes)
    return anonymize and bool(sizes) and 0 < rest < group_minimum(anonymize)
