# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The truststore rules, without keytool: fake DER bytes are enough here."""

from __future__ import annotations

import pytest

from ansible_collections.prime_hermod.stack.plugins.module_utils.keytool import Entry
from ansible_collections.prime_hermod.stack.plugins.module_utils.pem_certificates import sha256_fingerprint
from ansible_collections.prime_hermod.stack.plugins.module_utils.truststore_plan import (
    PlanError,
    Wanted,
    alias_problem,
    compute_plan,
    describe,
    normalize_alias,
)

A, B, C, D = (b'cert-a', b'cert-b', b'cert-c', b'cert-d')


def fp(der):
    return sha256_fingerprint(der)


def trusted(alias, der):
    return Entry(alias, 'trustedCertEntry', der)


def key(alias):
    return Entry(alias, 'PrivateKeyEntry')


def want(alias, der=None, state='present'):
    return Wanted(alias, state, der, fp(der) if der is not None else None)


def aliases(refs):
    return [ref['alias'] for ref in refs]


def test_nothing_to_do():
    plan = compute_plan([trusted('a', A), trusted('b', B)], [want('a', A)])
    assert not plan.changed
    assert plan.unchanged == [{'alias': 'a', 'sha256': fp(A)}]
    assert plan.final_trusted == [('a', A), ('b', B)]


def test_add_replace_remove_in_one_plan():
    current = [trusted('a', A), trusted('b', B), trusted('gone', D), key('k')]
    plan = compute_plan(current, [want('a', A), want('b', C), want('new', D.upper()), want('gone', state='absent')])
    assert plan.changed
    assert aliases(plan.unchanged) == ['a']
    assert plan.replaced == [{'alias': 'b', 'sha256': fp(C), 'previous_sha256': fp(B)}]
    assert aliases(plan.added) == ['new']
    assert plan.removed == [{'alias': 'gone', 'sha256': fp(D)}]
    assert [e.alias for e in plan.removals] == ['gone']
    assert [w.alias for w in plan.writes] == ['b', 'new']
    assert plan.final_trusted == [('a', A), ('b', C), ('new', D.upper())]
    assert [e.alias for e in plan.other_entries] == ['k']


def test_absent_alias_missing_is_a_no_op():
    plan = compute_plan([trusted('a', A)], [want('x', state='absent')])
    assert not plan.changed and plan.removed == []


def test_absent_with_certificate_removes_it_under_every_alias():
    current = [trusted('a', A), trusted('copy', A), trusted('b', B)]
    plan = compute_plan(current, [want('old', A, state='absent')])
    assert aliases(plan.removed) == ['a', 'copy']
    assert plan.final_trusted == [('b', B)]


def test_absent_certificate_that_is_listed_present_is_a_contradiction():
    with pytest.raises(PlanError, match="listed absent, but present as alias 'keep'"):
        compute_plan([], [want('keep', A), want('drop', A, state='absent')])


def test_exclusive_removes_unlisted_trusted_but_keeps_keys():
    current = [trusted('a', A), trusted('b', B), key('k')]
    plan = compute_plan(current, [want('a', A)], exclusive=True)
    assert aliases(plan.removed) == ['b']
    assert plan.final_trusted == [('a', A)]
    assert [e.alias for e in plan.other_entries] == ['k']


def test_exclusive_with_empty_list_empties_the_trusted_set():
    plan = compute_plan([trusted('a', A)], [], exclusive=True)
    assert aliases(plan.removed) == ['a'] and plan.final_trusted == []


@pytest.mark.parametrize('item', [want('k', A), want('k', state='absent')])
def test_key_entries_are_never_touched(item):
    with pytest.raises(PlanError, match="'k' is a PrivateKeyEntry"):
        compute_plan([key('k')], [item])


def test_alias_listed_twice():
    with pytest.raises(PlanError, match="'a' is listed more than once"):
        compute_plan([], [want('a', A), want('a', state='absent')])


def test_duplicate_warn_does_not_add():
    plan = compute_plan([trusted('existing', A)], [want('mine', A)])
    assert not plan.changed
    assert plan.duplicates == [{'alias': 'mine', 'sha256': fp(A), 'existing_alias': 'existing'}]
    assert 'not added twice' in plan.warnings[0]


def test_duplicate_add_adds_and_reports():
    plan = compute_plan([trusted('existing', A)], [want('mine', A)], on_duplicate='add')
    assert aliases(plan.added) == ['mine']
    assert aliases(plan.duplicates) == ['mine']
    assert 'added anyway' in plan.warnings[0]
    # The re-run sees the alias in place and still reports the duplicate.
    again = compute_plan([trusted('existing', A), trusted('mine', A)], [want('mine', A)], on_duplicate='add')
    assert not again.changed and aliases(again.duplicates) == ['mine'] and aliases(again.unchanged) == ['mine']


def test_duplicate_fail():
    with pytest.raises(PlanError, match="already trusted as alias 'existing'"):
        compute_plan([trusted('existing', A)], [want('mine', A)], on_duplicate='fail')


def test_duplicate_within_the_list():
    plan = compute_plan([], [want('first', A), want('second', A)])
    assert aliases(plan.added) == ['first']
    assert plan.duplicates == [{'alias': 'second', 'sha256': fp(A), 'existing_alias': 'first'}]


def test_duplicate_of_an_alias_being_removed_is_not_a_duplicate():
    plan = compute_plan([trusted('old-name', A)], [want('new-name', A)], exclusive=True)
    assert aliases(plan.added) == ['new-name'] and aliases(plan.removed) == ['old-name']
    assert plan.duplicates == []


def test_duplicate_of_an_alias_being_replaced_is_not_a_duplicate():
    plan = compute_plan([trusted('x', A), trusted('y', B)], [want('x', C), want('y', A)])
    assert aliases(plan.replaced) == ['x', 'y'] and plan.duplicates == []


def test_replacement_that_would_duplicate_keeps_the_alias_as_is():
    current = [trusted('x', A), trusted('y', B)]
    plan = compute_plan(current, [want('x', B)])
    assert not plan.changed
    assert plan.duplicates == [{'alias': 'x', 'sha256': fp(B), 'existing_alias': 'y'}]
    assert plan.final_trusted == [('x', A), ('y', B)]


def test_store_that_already_holds_a_duplicate():
    current = [trusted('x', A), trusted('y', A)]
    plan = compute_plan(current, [want('x', A)])
    assert aliases(plan.unchanged) == ['x']
    assert plan.duplicates == [{'alias': 'x', 'sha256': fp(A), 'existing_alias': 'y'}]


def test_normalize_alias_and_describe():
    assert normalize_alias('Hermod-TLS') == 'hermod-tls'
    text = describe([('b', fp(B), 'trustedCertEntry'), ('a', None, 'PrivateKeyEntry')])
    assert text == 'a (PrivateKeyEntry)\nb %s\n' % fp(B)
    assert describe([]) == ''


@pytest.mark.parametrize('alias', ['peer', 'Zertifikat-\u00dc', 'with space', 'a:b/c', '\u0080-is-not-c0', 'x' * 300])
def test_alias_problem_accepts(alias):
    assert alias_problem(alias) is None


@pytest.mark.parametrize('alias, code', [('new\nline', '000A'), ('\ttab', '0009'), ('\x00', '0000'),
                                         ('cr\r', '000D'), ('esc\x1b[1m', '001B'), ('del\x7f', '007F'),
                                         ('\x1f', '001F')])
def test_alias_problem_names_the_control_character(alias, code):
    problem = alias_problem(alias)
    assert problem.startswith(repr(alias)) and 'control character U+%s' % code in problem


@pytest.mark.parametrize('alias', ['', ' ', '\u3000'])
def test_alias_problem_empty(alias):
    assert alias_problem(alias) == 'is empty'
