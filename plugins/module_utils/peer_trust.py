# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The trust role's plan: which certificates each instance must trust, and the truststores they go into."""

from __future__ import annotations

from collections.abc import Mapping


LOCAL_FACTS = 'prime_hermod_stack_tomcat'


def served_certificates(facts):
    """A host's instance -> server certificate: the tomcat role's fact of this run, else what it saved on the host."""
    served = facts.get('tomcat_instance_certificates')
    if not served:
        saved = (facts.get('ansible_local') or {}).get(LOCAL_FACTS)
        served = saved.get('certificates') if isinstance(saved, Mapping) else None
    return served if isinstance(served, Mapping) else {}


def unreached_peers(group_names, groups, hostvars):
    """The hosts of the named groups whose certificates the run knows neither from the tomcat role nor saved facts.

    A run that leaves them out (--limit, a play on some groups only) reads their saved local facts instead.
    """
    hosts = []
    for group in group_names:
        for host in groups.get(group) or []:
            facts = hostvars[host] if host in hostvars else {}
            if host not in hosts and not served_certificates(facts):
                hosts.append(host)
    return hosts


def peer_certificates(sides, mode, groups, hostvars, ca_certificates=(), alias_prefix=''):
    """Per side this host plays (an instance of PRIME or Hermod), the certificates it must trust.

    sides: dicts with instance, side, peer_side, peer_group, peer_var (the host variable naming a peer's
    instance), peer_default and optionally mode, the side's own trust mode (else mode). In ca mode every
    instance trusts the CA certificates; otherwise each trusts the server certificate of the peer side's
    instance on every host of peer_group, under the alias <alias_prefix><peer host>-<peer instance>. A peer
    whose certificate is not known yet gets an empty pem, so the caller can name it. Each side's entry
    carries the mode it was planned in.
    """
    plan = []
    for side in sides:
        certificates = []
        side_mode = side.get('mode') or mode
        if side_mode == 'ca':
            for ca in ca_certificates:
                certificates.append({'alias': str(ca['alias']).lower(), 'pem': ca['pem'],
                                     'source': 'CA certificate %s' % ca['alias']})
        else:
            for peer in groups.get(side['peer_group']) or []:
                facts = hostvars[peer] if peer in hostvars else {}
                instance = facts.get(side['peer_var'], side['peer_default'])
                served = served_certificates(facts)
                certificates.append({
                    'alias': ('%s%s-%s' % (alias_prefix, peer, instance)).lower(),
                    'pem': served.get(instance) or '',
                    'source': '%s instance %s on %s' % (side['peer_side'], instance, peer),
                })
        plan.append({'instance': side['instance'], 'side': side['side'], 'mode': side_mode,
                     'certificates': certificates})
    return plan


def cacerts_paths(stat_results):
    """java_home -> the file behind its lib/security/cacerts (Debian's is a link to /etc/ssl/certs/java/cacerts).

    The truststore module replaces a file with a rename, which must happen to the target, not the link.
    """
    paths = {}
    for result in stat_results:
        java_home = result['trust__java_home']
        stat = result.get('stat') or {}
        paths[java_home] = stat['lnk_source'] if stat.get('islnk') else java_home + '/lib/security/cacerts'
    return paths


def truststores(plan, info, cacerts, mode):
    """The truststores of this host, each with every instance that reads it and every certificate to trust.

    A dedicated truststore is the instance's own (unless the entry's mode, else mode, is jvm_cacerts);
    otherwise the JVM's cacerts, shared by every instance on that JVM. Certificates without a pem are only
    planned and left out; an alias is added once per store.
    """
    stores = {}
    for item in plan:
        instance = info[item['instance']]
        if instance['truststore']['mode'] == 'dedicated' and (item.get('mode') or mode) != 'jvm_cacerts':
            store = {'path': instance['truststore']['path'], 'kind': 'dedicated truststore',
                     'password_file': instance['truststore']['password_file']}
        else:
            store = {'path': cacerts[instance['java_home']], 'kind': 'JVM cacerts', 'password_file': ''}
        known = stores.setdefault(store['path'], dict(store, java_home=instance['java_home'], instances=[],
                                                      certificates=[]))
        known['java_home'] = instance['java_home']
        known['instances'].append(item['instance'])
        aliases = set(certificate['alias'] for certificate in known['certificates'])
        known['certificates'].extend(certificate for certificate in item['certificates']
                                     if certificate['pem'] and certificate['alias'] not in aliases)
    return list(stores.values())
