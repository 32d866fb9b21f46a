"""The named numbers that read a score, in one place: when a stage counts as reached, a key question as
open, a question as a gap, a dimension as strong or weak. Documents state them (``docs/scoring.md``).

Plain constants and one comparison; imports nothing, so every package may use them.
"""

from __future__ import annotations

# Scores are sums of float products; a score that equals its threshold on paper must count as reached.
TOLERANCE = 1e-9
# A key question needs at least this many points (half of them), else its stage is not reached.
KEY_MINIMUM = 0.5
# In a comparison a question is a gap where a municipality has less than half its points: the key questions' hurdle.
GAP_BELOW = KEY_MINIMUM
# A gap is common to a region when at least this share of the municipalities it applies to have it.
COMMON_GAP_SHARE = 0.5
# A dimension is strong from two thirds of its points and weak below one third (report and comparison alike).
STRONG_FROM = 2 / 3
WEAK_BELOW = 1 / 3
# A dimension is called strong or weak in a report only when at least this many answers stand behind its score.
MIN_ANSWERS = 2


def reaches(score: float, mark: float) -> bool:
    """``score ≥ mark`` as on paper: float noise just below the mark still reaches it."""
    return score >= mark - TOLERANCE
