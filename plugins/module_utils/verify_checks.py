# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The verify role's checks: what the reads and probes it made mean, one result per check, with the fix.

A result is a dict with host, check, ok (True, False, or None for a check that was skipped), detail
and fix. Nothing here reads a secret into a result: keys are compared, never shown.
"""

from __future__ import annotations

import base64
import re

from urllib.parse import urlsplit

from ansible_collections.prime_hermod.stack.plugins.module_utils.java_properties import PropertiesError, parse, to_map
from ansible_collections.prime_hermod.stack.plugins.module_utils.stack_hosts import playbook_command

SCHEME = re.compile(r'^[a-zA-Z][a-zA-Z0-9+.-]*://')
TRUSTSTORE_PROPERTY = re.compile(r'^javax\.net\.ssl\.trustStore=')
# JVM options that decide how the JVM trusts and connects, passed on to the check run with the
# instance's own JVM; catalina.properties can set only the first two kinds.
JVM_TRUST_OPTION = re.compile(r'^-D((javax\.net\.ssl|jdk\.tls|jdk\.certpath|https|java\.security)\.[^=]*=.*)$', re.S)
CATALINA_TRUST_PROPERTY = re.compile(r'^(javax\.net\.ssl|jdk\.tls)\.')


def local_instances(sides, info, entries, instances_root, service_prefix):
    """The CATALINA_BASE and service of each side (PRIME, Hermod) this host runs.

    Each comes from the side's own setting when given, else the tomcat role's facts (of this run or
    saved on the host), else the instance's inventory entry (CATALINA_BASE only), else the tomcat
    role's defaults. sides: [{side, instance, catalina_base, service}] with '' for not given.
    """
    info = info or {}
    entries = {entry.get('name'): entry for entry in entries or [] if hasattr(entry, 'get')}
    found = []
    for side in sides:
        name = side['instance']
        known = info.get(name) or {}
        found.append({
            'side': side['side'],
            'instance': name,
            'catalina_base': (side.get('catalina_base') or known.get('catalina_base')
                              or (entries.get(name) or {}).get('catalina_base') or '%s/%s' % (instances_root, name)),
            'service': side.get('service') or known.get('service') or '%s%s.service' % (service_prefix, name),
        })
    return found


def _decoded(result):
    content = (result or {}).get('content')
    return base64.b64decode(content).decode('utf-8', 'replace') if content else ''


def jvm_settings(instances, pids, cmdlines, catalina_properties):
    """By side: whether the instance's JVM runs, its java binary and the options that decide its trust.

    pids, cmdlines and catalina_properties are loop results over instances, in their order: systemctl's
    MainPID, a slurp of /proc/<pid>/cmdline and of conf/catalina.properties (Tomcat turns each entry
    into a system property at boot). catalina.properties is read as java.util.Properties reads it.
    """
    settings = {}
    for instance, pid, cmdline, properties in zip(instances, pids, cmdlines, catalina_properties):
        running = ((pid or {}).get('stdout') or '').strip() not in ('', '0')
        argv = _decoded(cmdline).split('\x00') if running else []
        options = [found.group(1) for found in (JVM_TRUST_OPTION.match(arg) for arg in argv) if found]
        try:
            booted = to_map(parse(_decoded(properties)))
        except PropertiesError:
            booted = {}
        options += ['%s=%s' % (key, value) for key, value in booted.items() if CATALINA_TRUST_PROPERTY.match(key)]
        settings[instance['side']] = {'running': running, 'java': argv[0] if argv else '', 'properties': options}
    return settings


def callback_targets(clients):
    """The callback URL of each of PRIME's clients in Hermod's configuration, with its basic auth header."""
    targets = []
    for client in clients:
        auth = client.get('callback_basic_auth') or ''
        targets.append({
            'name': 'callback-%s' % client['client_id'],
            'url': client.get('callback_url') or '',
            'auth': 'Basic ' + base64.b64encode(auth.encode('utf-8')).decode('ascii') if auth else '',
            'what': "callbackUrl of client '%s'" % client['client_id'],
        })
    return targets


def split_urls(targets):
    """Each target with the scheme, host and port of its URL (port 443 when the URL gives none)."""
    result = []
    for target in targets:
        url = target.get('url') or ''
        parts = urlsplit(url) if SCHEME.match(url) else None
        try:
            port = parts.port if parts else None
        except ValueError:
            port = None
        result.append({'name': target['name'], 'url': url, 'what': target['what'],
                       'scheme': parts.scheme.lower() if parts else '', 'host': (parts.hostname or '') if parts else '',
                       'port': port or 443})
    return result


def _by_name(results, key_path, name):
    for result in results:
        node = result
        for key in key_path:
            node = node.get(key) if isinstance(node, dict) else None
        if node == name:
            return result
    return {}


def _names_cover(host, sans):
    dns = [san[4:].lower() for san in sans if san.startswith('DNS:')]
    ips = [san[3:] for san in sans if san.startswith('IP:')]
    host = host.lower()
    if re.match(r'^[0-9.]+$', host) or ':' in host:
        return host in ips, True
    wildcard = '.' in host and ('*.' + host.split('.', 1)[1]) in dns
    return host in dns or wildcard, False


def _https_result(peer, host, url, served):
    where = url['what']
    if url['scheme'] != 'https':
        return {'check': '%s serves HTTPS' % peer, 'ok': False,
                'detail': '%s is %s, not an https:// URL' % (where, url['url'] or 'not set'),
                'fix': 'use an https:// URL for %s (plain HTTP makes Personal Desktop App fail with "Domain mismatch")'
                       % where}
    if 'cert' not in served:
        return {'check': '%s serves HTTPS' % peer, 'ok': False,
                'detail': 'no TLS certificate from %s:%s (%s): %s' % (
                    url['host'], url['port'], where, served.get('msg') or 'not reached'),
                'fix': 'start %s with an HTTPS connector on port %s (tomcat role: ports.https) and let %s reach %s:%s'
                       % (peer, url['port'], host, url['host'], url['port'])}
    return {'check': '%s serves HTTPS' % peer, 'ok': True, 'detail': '%s (%s)' % (url['url'], where), 'fix': ''}


def _certificate_results(peer, url, info, min_days):
    if 'subject_alt_name' not in info and 'not_after' not in info:
        return []
    sans = info.get('subject_alt_name') or []
    covered, is_ip = _names_cover(url['host'], sans)
    fresh = not info.get('expired', True) and bool((info.get('valid_at') or {}).get('soon'))
    return [
        {'check': '%s certificate names cover %s' % (peer, url['host']), 'ok': covered,
         'detail': 'subjectAltName %s' % (', '.join(sans) or 'missing'),
         'fix': '' if covered else
         'give %s a certificate whose subjectAltName holds %s%s (tomcat role: https.self_signed.dns/ips, or your CA), '
         'or use a host name the certificate holds in %s' % (peer, 'IP:' if is_ip else 'DNS:', url['host'], url['what'])},
        {'check': '%s certificate valid for %s days or more' % (peer, min_days), 'ok': fresh,
         'detail': 'expires %s%s' % (info.get('not_after') or '?', ' (expired)' if info.get('expired') else ''),
         'fix': '' if fresh else
         'renew the certificate of %s:%s and run {site}, so that the peers trust the new one' % (url['host'], url['port'])},
    ]


def _jvm_results(side, peer, host, url, java, jvm, service, java_run):
    check = "%s's JVM trusts %s" % (side, peer)
    if not jvm.get('running'):
        return [{'check': check, 'ok': False, 'detail': 'the %s instance (%s) is not running' % (side, service),
                 'fix': 'start %s and look at its journal' % service}]
    if 'name' not in java:
        if 'stderr_lines' not in java_run:
            reason = 'no output'
        else:
            reason = java_run['stderr_lines'][-1] if java_run['stderr_lines'] else 'rc %s' % java_run.get('rc', '?')
        return [{'check': check, 'ok': False,
                 'detail': 'the check could not run with %s: %s' % (jvm.get('java'), reason),
                 'fix': 'the JVM check needs Java 8 or later: run "%s -version" on %s' % (jvm.get('java'), host)}]
    stores = [TRUSTSTORE_PROPERTY.sub('', prop) for prop in jvm.get('properties') or [] if TRUSTSTORE_PROPERTY.match(prop)]
    store = stores[0] if stores else 'the JVM cacerts'
    target = '%s:%s' % (url['host'], url['port'])
    if java.get('tls'):
        fix = ''
    elif java.get('handshake_failed'):
        fix = ('run {trust} so that %s holds the certificate of %s (trust role), or give %s a certificate '
               'from a CA that JVM trusts (trust_mode ca)' % (store, target, peer))
    else:
        fix = 'make %s reachable from %s' % (target, host)
    results = [{'check': check, 'ok': bool(java.get('tls')),
                'detail': '%s%s (truststore: %s)' % (url['url'], ': handshake completed' if java.get('tls')
                                                     else ': %s' % java.get('cause'), store),
                'fix': fix}]
    if side == 'Hermod':
        status = java.get('status')
        passed = bool(java.get('tls')) and status is not None and status not in (401, 403)
        if passed:
            fix = ''
        elif status in (401, 403):
            fix = 'make callbackBasicAuth of %s the credentials PRIME accepts for the callback' % url['what']
        else:
            fix = 'fix the TLS connection first (line above)'
        results.append({'check': "Hermod's callback reaches PRIME with its basic auth", 'ok': passed,
                        'detail': '%s (%s): %s' % (url['url'], url['what'], 'HTTP %s' % status if status is not None
                                                   else 'no HTTP answer, %s' % java.get('cause')),
                        'fix': fix})
    return results


def url_results(urls, served, certificates, java_results, context):
    """One result per check of each URL a side uses to reach its peer.

    urls: split_urls() of the targets; served: the get_certificate results (loop_var verify__url);
    certificates: the x509_certificate_info results (loop_var verify__fetched); java_results: the JSON
    lines of the JVM check; context: side, host, jvm ({running, java, properties}), service, min_days,
    java_run (the JVM check's command result, for its error).
    """
    side = context['side']
    peer = 'Hermod' if side == 'PRIME' else 'PRIME'
    host = context['host']
    out = []
    for url in urls:
        out.append(_https_result(peer, host, url, _by_name(served, ('verify__url', 'name'), url['name'])))
        info = _by_name(certificates, ('verify__fetched', 'verify__url', 'name'), url['name'])
        out.extend(_certificate_results(peer, url, info, context['min_days']))
        if url['scheme'] == 'https':
            java = _by_name(java_results, ('name',), url['name'])
            out.extend(_jvm_results(side, peer, host, url, java, context['jvm'], context['service'],
                                    context.get('java_run') or {}))
    return [dict(result, host=host) for result in out]


def token_result(client, hermods, group, host):
    """PRIME's authenticationToken (decoded to client) against the clients of every Hermod host.

    hermods: Hermod host -> its clients as the verify role read them (None: not read).
    """
    problems = []
    client_id = client.get('client_id') if client else None
    if client_id is None:
        problems.append('it is not base64(clientId:key)')
    else:
        for hermod, clients in hermods.items():
            if clients is None:
                problems.append("%s's configuration was not read" % hermod)
                continue
            same_id = [entry for entry in clients if entry.get('client_id') == client_id]
            if not same_id:
                problems.append("%s has no client '%s'" % (hermod, client_id))
            elif not any(entry.get('key') == client.get('key') for entry in same_id):
                problems.append("%s holds another key for client '%s'" % (hermod, client_id))
        if not hermods:
            problems.append('group %s has no host' % group)
    if not problems:
        return {'host': host, 'check': "PRIME's authenticationToken is a key Hermod holds", 'ok': True,
                'detail': "client '%s' on %s" % (client_id, ', '.join(hermods)), 'fix': ''}
    return {'host': host, 'check': "PRIME's authenticationToken is a key Hermod holds", 'ok': False,
            'detail': 'authenticationToken%s: %s' % (" of client '%s'" % client_id if client_id is not None else '',
                                                     '; '.join(problems)),
            'fix': "run {site}: the prime role writes the X-Api-Key of client prime_hermod_client_id from the Hermod "
                   "host's facts (or set prime_authentication_token to the X-Api-Key Hermod holds)"}


def database_result(host, settings, scripts, record, highest):
    """The database check: the script the hermod_database role recorded against the distribution's highest.

    settings: distribution, admin_socket_used (whether the record was read), name, record_table, script_dir,
    script_pattern; scripts: the names of the distribution's scripts (None: not listed), with scripts_error;
    record: the command result of the record's query; highest: callable(names) -> the highest name matching
    the pattern (or '' when none does).
    """
    check = 'Hermod database initialised with the highest script of the distribution'
    result = {'host': host, 'check': check, 'fix': ''}
    if not settings['distribution']:
        return dict(result, ok=None, detail='no distribution given (verify_database_distribution)')
    if not settings['admin_socket_used']:
        return dict(result, ok=None, detail="the record is read through the server's local socket (postgresql, "
                                            'mariadb); verify_database_admin_socket is off')
    pattern = re.compile('^(?:%s)$' % settings['script_pattern'])
    names = scripts or []
    best = highest(names) if any(pattern.match(name) for name in names) else ''
    if not best:
        return dict(result, ok=False,
                    detail=('no script matching %s in %s of %s %s' % (
                        settings['script_pattern'], settings['script_dir'], settings['distribution'],
                        settings.get('scripts_error') or '')).rstrip(),
                    fix='set verify_database_distribution to the Hermod distribution that is deployed')
    expected = pattern.match(best).group('version')
    row = ((record.get('stdout') or '').strip().split('\n')[0]).replace('\t', '|')
    recorded = row.split('|')[1] if '|' in row else ''
    if record.get('rc') != 0 or not recorded:
        return dict(result, ok=False,
                    detail='no record in %s.%s (%s); expected %s' % (
                        settings['name'], settings['record_table'], (record.get('stderr') or '').strip() or 'empty', best),
                    fix='initialise the empty database with the hermod_database role: run {site}')
    same = recorded == expected
    return dict(result, ok=same,
                detail="%s initialised with %s (version %s); the distribution's highest is %s (version %s)"
                       % (settings['name'], row.split('|')[0], recorded, best, expected),
                fix='' if same else "the database was initialised from another distribution: upgrade it the vendor's "
                                    'way, or recreate it empty and run {site}')


# The playbooks a fix can name, as {name} in its text.
FIX_PLAYBOOKS = ('site', 'trust', 'database', 'hermod', 'prime')


def report_lines(results, groups=None):
    """One line per result: PASS, FAIL (with its fix) or SKIP, the host, the check and what was found.

    groups: part (database, hermod, prime) -> the inventory group checked; a playbook a fix names ({site},
    {trust}, ...) is written as the command that runs it on those groups.
    """
    commands = dict(('{%s}' % name, '`%s`' % playbook_command(name, groups or {})) for name in FIX_PLAYBOOKS)
    lines = []
    for result in results:
        word = 'PASS' if result['ok'] else ('SKIP' if result['ok'] is None else 'FAIL')
        fix = ' -- FIX: %s' % result['fix'] if result['ok'] is False and result.get('fix') else ''
        for placeholder, command in commands.items():
            fix = fix.replace(placeholder, command)
        lines.append('%s %s: %s: %s%s' % (word, result['host'], result['check'], result['detail'], fix))
    return lines
