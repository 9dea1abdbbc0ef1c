"""Channels of influence and the sphere-of-influence index.

Each channel (``allegiance.analysis.influence.channels.<name>``) scores, per (state, pole, year),
how tied a state is to a pole through one kind of link, in [0, 1], with the inputs and
sources behind the score. :mod:`~allegiance.analysis.influence.index` combines the channels with
the weights of :mod:`~allegiance.analysis.influence.weights`; :mod:`~allegiance.analysis.influence.sphere`
and :mod:`~allegiance.analysis.influence.drift` read the combined index. See docs/influence.md.
"""

from allegiance.analysis.influence.common import POLES, SCORE_COLUMNS

__all__ = ["POLES", "SCORE_COLUMNS"]
