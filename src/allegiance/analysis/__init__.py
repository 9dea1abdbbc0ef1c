"""The analysis layer: plain functions that take a store (and a knowledge base) explicitly.

- :mod:`~allegiance.analysis.alignment`: agreement, alignment, cohesion, matrix.
- :mod:`~allegiance.analysis.votes`: how states voted on a roll call, by region.
- :mod:`~allegiance.analysis.ideal`: dynamic ideal points.
- :mod:`~allegiance.analysis.knowledge`: memberships, forces, offices, treaties, events.
- :mod:`~allegiance.analysis.frames` and :mod:`~allegiance.analysis.verbs`: state-year and
  dyad-year frames and the ``add_*`` verbs.
- :mod:`~allegiance.analysis.sourcing`: the sources a frame used, and ``cite``.

The influence index (:mod:`allegiance.analysis.influence`) belongs to the same layer.
"""
