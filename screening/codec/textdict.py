"""The preset dictionary that deflates the free text of a code (formats 1 and 2). Never change it.

Deflate finds repeats; a 200-character concern has few, so a preset dictionary of the words
people use here (feet, numb, sugar, pills...) gives it something to refer to: the concerns
measured in ``screening.codec`` shrink by 15-22 % more than with plain deflate (about 25 bytes,
a QR version). The decoder must use exactly the same bytes, so this text is part of code
formats 1 and 2: editing it would make every code already printed unreadable. A better dictionary
needs a new format version, with this one kept for reading old codes; a test pins its digest.
"""

from __future__ import annotations

TEXT_DICTIONARY = (
    "the and to of a in is it my I have for that on with was but not be are at this as you "
    "they had has been can when or so do if about from some all would like also feel feels "
    "feeling felt get gets going go know think want worry worried doctor nurse pharmacist "
    "tests test blood sugar diabetes diabetic type A1c insulin metformin pills pill tablets "
    "medicine medicines vitamin vitamins B12 B6 magnesium supplement supplements water pill "
    "blood pressure heart kidney kidneys thyroid liver alcohol drink drinks wine beer years "
    "year months month weeks week days day night nights morning evening sometimes always "
    "never often lately since ago now worse better same both left right feet foot toes toe "
    "legs leg ankles ankle knees knee hands hand fingers arms back hip skin heels numb "
    "numbness tingling tingly pins and needles burning burn pain painful hurt hurts ache "
    "aching cramps cramp weak weakness balance walking walk stairs falls fall fell trip "
    "unsteady cold hot swollen cracks sore wound ulcer operation surgery replacement nerve "
    "nerves neuropathy checked check looked look told said asked ask "
).encode("ascii")
