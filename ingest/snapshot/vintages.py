"""Which of several real copies of one value the snapshot serves: the newest vintage.

The real-data collection keeps every copy it found of a value, each with its provenance
(``repo@commit:path``). Copies from different scrapes of the same API can differ where the
source revised a figure since; the snapshot serves the value as of the newest scrape, as the
live API would today.
"""

from __future__ import annotations

# Provenance prefix → the date the copy was taken, newest first. A copy from a source not
# listed here ranks after them all; two unranked copies that disagree are an error.
VINTAGES: tuple[tuple[str, str], ...] = (
    ("LCHansson/rKolada@d52938874f9a9e0b6f4dd44f36fa5edb8cd69fa3", "2026-03-23"),
    ("LCHansson/rKolada@8d7770eee21485ce06cdedd92f918ac2db50bdcb", "2026-03-04"),
    ("open-numbers/ddf--kolada--dump@8501d5c7694b444dbf59d063c5156754e2a9b819", "2024-08-30"),
    ("LCHansson/rKolada@16718b57aa67a62f800f1ec2beff7b9931245f8a", "2024-03"),
    ("LCHansson/rKolada@4e0d0c9be0938f208fcafa029ca60f3b6505ce96", "2024-04-06"),
)
_RANKED = sorted(VINTAGES, key=lambda v: v[1], reverse=True)


def vintage_rank(provenance: str) -> int:
    """0 for the newest known copy; ``len(VINTAGES)`` for a source of unknown date."""
    for rank, (prefix, _) in enumerate(_RANKED):
        if provenance.startswith(prefix):
            return rank
    return len(_RANKED)


def newest(copies: list[dict[str, str]], key: tuple) -> dict[str, str]:
    """The copy to serve among ``copies`` of one key (each a real-data row)."""
    ranked = sorted(copies, key=lambda r: (vintage_rank(r["provenance"]), r["provenance"]))
    best = ranked[0]
    rivals = [
        r
        for r in ranked[1:]
        if vintage_rank(r["provenance"]) == vintage_rank(best["provenance"])
        and r["value"] != best["value"]
    ]
    if rivals:
        raise ValueError(
            f"real values for {key} disagree and no vintage orders them: "
            f"{best['value']} ({best['provenance']}) vs {rivals[0]['value']} "
            f"({rivals[0]['provenance']})"
        )
    return best
