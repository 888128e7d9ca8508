"""Model licences as `models.yaml` states them: SPDX ids, which of them forbid commercial use, and
which ask to be credited."""

from __future__ import annotations

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression


def canonical_licence(value: str) -> str | None:
    """`value` as SPDX spells it (cc-by-nc-4.0 → CC-BY-NC-4.0), or None when it is no SPDX expression."""
    try:
        return canonicalize_license_expression(value)
    except InvalidLicenseExpression:
        return None


def is_non_commercial(licence: str | None) -> bool:
    """CC "NC" licences (CC-BY-NC-4.0, CC-BY-NC-SA-4.0, ...) forbid commercial use."""
    return licence is not None and "-NC" in licence.upper()


def requires_attribution(licence: str | None) -> bool:
    """Creative Commons BY licences (CC-BY-4.0, CC-BY-SA-4.0, CC-BY-NC-4.0, ...) require credit to the
    authors wherever the work is shared; CC0 and the permissive software licences do not."""
    return licence is not None and licence.upper().startswith("CC-BY")
