# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decide what a truststore must become, without touching it.

Kept apart from the module so that every rule (aliases, fingerprints,
duplicates, exclusive mode) is tested without keytool.
"""

from __future__ import annotations


class PlanError(ValueError):
    """The requested state contradicts itself or would touch a key entry."""


class Wanted(object):
    """One requested entry. ``der``/``sha256`` may be None for an alias-only removal."""

    __slots__ = ('alias', 'state', 'der', 'sha256')

    def __init__(self, alias, state, der=None, sha256=None):
        self.alias = alias
        self.state = state
        self.der = der
        self.sha256 = sha256


class Plan(object):
    def __init__(self):
        self.added = []
        self.replaced = []
        self.removed = []
        self.unchanged = []
        self.duplicates = []
        self.warnings = []
        # Entries keytool must import (additions and replacements), as Wanted.
        self.writes = []
        # Aliases to drop entirely (not replaced).
        self.removals = []
        # Every trusted entry of the resulting store: (alias, der).
        self.final_trusted = []
        # Entries keytool lists that are not trusted certificates (key entries).
        self.other_entries = []

    @property
    def changed(self):
        return bool(self.writes or self.removals)


def alias_problem(alias):
    """Why ``alias`` cannot name an entry, or None; the text follows the alias's name.

    Control characters are those below U+0020 and U+007F. A line break would
    split keytool's listing, which is how this module reads a store back, so
    every later run would misread the store; the others (tabs, terminal
    escapes, DEL) make an alias look like another one in every listing and log.
    """
    alias = alias or ''
    for char in alias:
        if ord(char) < 0x20 or ord(char) == 0x7f:
            return '%r contains the control character U+%04X; an alias may not hold control characters' % (
                alias, ord(char))
    if not alias.strip():
        return 'is empty'
    return None


def normalize_alias(alias):
    """Java keystores look entries up by lower-cased alias (Locale.ENGLISH)."""
    return alias.lower()


def _ref(alias, sha256):
    return {'alias': alias, 'sha256': sha256}


def compute_plan(current, wanted, exclusive=False, on_duplicate='warn'):
    """Compare ``current`` (keytool Entry list) with ``wanted`` (Wanted list).

    Rules:
    - an alias may be listed once;
    - key entries (anything but trustedCertEntry) are never replaced or removed:
      naming one is an error;
    - an ``absent`` item removes its alias and, when it carries a certificate,
      that certificate under any alias;
    - ``exclusive`` removes every trusted entry whose alias is not listed present;
    - a ``present`` item whose certificate would also be trusted under another
      alias that stays is a duplicate: reported, and written only when
      ``on_duplicate`` is ``add``; ``fail`` raises.
    """
    plan = Plan()
    by_alias = {}
    for entry in current:
        by_alias[entry.alias] = entry
        if not entry.trusted:
            plan.other_entries.append(entry)

    seen = set()
    for item in wanted:
        if item.alias in seen:
            raise PlanError('alias %r is listed more than once' % item.alias)
        seen.add(item.alias)
        entry = by_alias.get(item.alias)
        if entry is not None and not entry.trusted:
            raise PlanError('alias %r is a %s, not a trusted certificate; this module never changes key entries'
                            % (item.alias, entry.entry_type))

    present = [item for item in wanted if item.state == 'present']
    present_aliases = set(item.alias for item in present)
    present_fps = dict((item.sha256, item.alias) for item in present)

    removing = {}
    for item in wanted:
        if item.state != 'absent':
            continue
        if item.sha256 is not None and item.sha256 in present_fps:
            raise PlanError('the certificate of alias %r is listed absent, but present as alias %r'
                            % (item.alias, present_fps[item.sha256]))
        if item.alias in by_alias:
            removing[item.alias] = by_alias[item.alias]
        if item.sha256 is not None:
            for entry in current:
                if entry.trusted and entry.sha256 == item.sha256 and entry.alias not in present_aliases:
                    removing[entry.alias] = entry
    if exclusive:
        for entry in current:
            if entry.trusted and entry.alias not in present_aliases:
                removing[entry.alias] = entry

    candidates = []
    unchanged = set()
    for item in present:
        entry = by_alias.get(item.alias)
        if entry is not None and entry.sha256 == item.sha256:
            unchanged.add(item.alias)
        else:
            candidates.append(item)
    candidate_aliases = set(item.alias for item in candidates)

    # Who holds which fingerprint once removals and replacements are done.
    holders = {}
    for entry in current:
        if entry.trusted and entry.alias not in removing and entry.alias not in candidate_aliases:
            holders.setdefault(entry.sha256, []).append(entry.alias)

    def check_duplicate(item):
        others = [alias for alias in holders.get(item.sha256, []) if alias != item.alias]
        if not others:
            return False
        plan.duplicates.append({'alias': item.alias, 'sha256': item.sha256, 'existing_alias': others[0]})
        message = ('certificate %s of alias %r is already trusted as alias %r'
                   % (item.sha256, item.alias, others[0]))
        if on_duplicate == 'fail':
            raise PlanError(message)
        if on_duplicate == 'warn':
            plan.warnings.append(message + '; not added twice')
            return True
        plan.warnings.append(message + '; added anyway (on_duplicate=add)')
        return False

    written = {}
    for item in present:
        if item.alias in unchanged:
            check_duplicate(item)
            plan.unchanged.append(_ref(item.alias, item.sha256))
            continue
        entry = by_alias.get(item.alias)
        if check_duplicate(item):
            if entry is not None:
                # The alias keeps its current certificate.
                holders.setdefault(entry.sha256, []).append(entry.alias)
            continue
        holders.setdefault(item.sha256, []).append(item.alias)
        written[item.alias] = item
        plan.writes.append(item)
        if entry is None:
            plan.added.append(_ref(item.alias, item.sha256))
        else:
            replaced = _ref(item.alias, item.sha256)
            replaced['previous_sha256'] = entry.sha256
            plan.replaced.append(replaced)

    for entry in current:
        if entry.alias in removing:
            plan.removals.append(entry)
            plan.removed.append(_ref(entry.alias, entry.sha256))
        elif not entry.trusted:
            continue
        elif entry.alias in written:
            plan.final_trusted.append((entry.alias, written[entry.alias].der))
        else:
            plan.final_trusted.append((entry.alias, entry.der))
    for item in plan.writes:
        if item.alias not in by_alias:
            plan.final_trusted.append((item.alias, item.der))
    return plan


def describe(entries):
    """Text for diff mode: one line per entry, sorted by alias."""
    lines = []
    for alias, sha256, entry_type in sorted(entries):
        lines.append('%s %s' % (alias, sha256 if sha256 else '(%s)' % entry_type))
    return '\n'.join(lines) + ('\n' if lines else '')
