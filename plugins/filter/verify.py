# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The verify role's checks as filters. Each is documented in the YAML file of its name beside this one."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

import json

from ansible_collections.prime_hermod.stack.plugins.filter.hermod import highest_version
from ansible_collections.prime_hermod.stack.plugins.module_utils.verify_checks import (
    callback_targets,
    database_result,
    jvm_settings,
    local_instances,
    report_lines,
    split_urls,
    token_result,
    url_results,
)


def verify_callback_targets(clients):
    return callback_targets(clients)


def verify_local_instances(sides, info, entries, instances_root, service_prefix):
    return local_instances(sides, info, entries, instances_root, service_prefix)


def verify_jvm_settings(instances, pids, cmdlines, catalina_properties):
    return jvm_settings(instances, pids, cmdlines, catalina_properties)


def verify_split_urls(targets):
    return split_urls(targets)


def verify_url_results(urls, served, certificates, java_results, context):
    try:
        return url_results(urls, served, certificates, java_results, context)
    except KeyError as error:
        raise AnsibleFilterError('verify_url_results: %s is missing' % error) from None


def verify_token_result(client, groups, hostvars, group, host):
    hermods = {}
    for hermod in groups.get(group) or []:
        read = hostvars[hermod].get('verify__hermod') if hermod in hostvars else None
        hermods[hermod] = read.get('clients') if isinstance(read, dict) or hasattr(read, 'get') else None
    return token_result(client, hermods, group, host)


def verify_database_result(record, scripts, settings, host):
    """record and scripts are the results of the role's two commands (a skipped one: not run)."""
    names, error = None, ''
    if scripts.get('rc') == 0:
        try:
            names = json.loads(scripts.get('stdout') or '[]')
        except ValueError:
            names, error = None, 'the script list is not JSON'
    else:
        error = (scripts.get('stderr_lines') or [''])[-1]
    context = dict(settings, admin_socket_used=not record.get('skipped', False), scripts_error=error)
    return database_result(host, context, names, record,
                           lambda found: highest_version(found, settings['script_pattern']))


def verify_report_lines(hosts, hostvars, groups=None):
    """The report of every host's results (their verify__results fact), in the order of hosts."""
    results = []
    for host in hosts:
        results.extend(hostvars[host].get('verify__results') or [])
    return report_lines(results, groups)


class FilterModule:
    def filters(self):
        return {
            'verify_callback_targets': verify_callback_targets,
            'verify_jvm_settings': verify_jvm_settings,
            'verify_local_instances': verify_local_instances,
            'verify_split_urls': verify_split_urls,
            'verify_url_results': verify_url_results,
            'verify_token_result': verify_token_result,
            'verify_database_result': verify_database_result,
            'verify_report_lines': verify_report_lines,
        }
