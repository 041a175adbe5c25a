"""An agreement's life as its pages show it: the renewal chain (predecessors, this one, successors).

The chain is read the same way on the agreement's page and on its dashboard: one query, CHAIN_DEPTH
generations back and forward (chains are a handful of periods long), each agreement marked visible
or not for the reader.  An agreement the reader may not see is named by its kind, never its title.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q

from agreements.access import visible_agreements
from agreements.models import Agreement
from core.types import Actor

# Generations read each way: 4 periods of 5 years are twenty years of one relationship.
CHAIN_DEPTH = 4


@dataclass
class ChainLink:
    agreement: Agreement
    visible: bool
    current: bool


def _reaching(relation: str, agreement: Agreement) -> Q:
    """Agreements `relation` leads from to `agreement` in 1..CHAIN_DEPTH steps."""
    return reduce(or_, (Q(**{"__".join([relation] * depth): agreement}) for depth in range(1, CHAIN_DEPTH + 1)))


def renewal_links(user: Actor, agreement: Agreement) -> list[ChainLink]:
    """The renewal chain around `agreement`, oldest period first, in one query; [] when it stands alone."""
    related = list(
        Agreement.objects.filter(_reaching("successors", agreement) | _reaching("predecessor", agreement))
        .annotate(visible=Exists(visible_agreements(user).filter(pk=OuterRef("pk"))))
        .distinct()
    )
    if not related:
        return []
    links = [ChainLink(other, bool(other.visible), False) for other in related]
    links.append(ChainLink(agreement, True, True))
    return sorted(links, key=lambda link: (link.agreement.period_start, link.agreement.pk))
