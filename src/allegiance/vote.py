"""The one place where a General Assembly vote is coded.

The integer codes follow Voeten's dataverse release (Voeten 2013, Harvard Dataverse
hdl:1902.1/12379) so that arrays built from the store can be compared with it directly.
"""

from __future__ import annotations

from enum import IntEnum


class Vote(IntEnum):
    """A state's vote on one roll call."""

    YES = 1
    ABSTAIN = 2
    NO = 3
    ABSENT = 8
    NOT_MEMBER = 9

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def from_label(cls, label: str) -> Vote:
        try:
            return _BY_LABEL[label]
        except KeyError:
            raise ValueError(
                f"unknown vote {label!r}; expected one of {sorted(_BY_LABEL)}"
            ) from None

    @classmethod
    def labels(cls) -> list[str]:
        return [v.label for v in cls]


_LABELS = {
    Vote.YES: "yes",
    Vote.ABSTAIN: "abstain",
    Vote.NO: "no",
    Vote.ABSENT: "absent",
    Vote.NOT_MEMBER: "not a member",
}
_BY_LABEL = {label: vote for vote, label in _LABELS.items()}

#: The codes that count as a cast vote (present and voting or abstaining).
CAST = (Vote.YES, Vote.ABSTAIN, Vote.NO)
