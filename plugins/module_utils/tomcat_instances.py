# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The tomcat role's instances with every default filled in, and the checks that span them.

Each error names the variable and the list index (tomcat_instances[1].ports.https), so the play
stops before the host changes with a message the operator can act on.
"""

from __future__ import annotations

import base64
import re

from collections.abc import Mapping

from ansible_collections.prime_hermod.stack.plugins.module_utils.role_inputs import repeated

NAME = re.compile(r'^[a-z0-9][a-z0-9_.-]{0,40}$')
TRUSTSTORE_MODES = ('none', 'jvm_cacerts', 'dedicated')
TRUSTSTORE_TYPES = ('pkcs12', 'jks')
BOOLEAN_WORDS = {'true': True, 'yes': True, 'on': True, '1': True, 'false': False, 'no': False, 'off': False, '0': False}

# The role's settings the instances inherit; the role passes each of them.
SETTINGS = (
    'install_method', 'java_home', 'java_distribution_home', 'archive_install_root', 'package_catalina_home',
    'package_conf_source', 'instances_root', 'service_prefix', 'disable_shutdown_port', 'heap_initial', 'heap_max',
    'java_opts', 'environment', 'self_signed_days', 'truststore_mode', 'truststore_type', 'hostname',
    'archive_versions', 'keystore_password_file', 'package_names', 'package_default_service', 'mask_default_service',
    'java_packages', 'release',
)
RELEASES_KNOWN = 'Debian 11, 12 and 13'
# The first release of each Tomcat line that reads certificateKeystorePasswordFile;
# 8.5 and 10.0 ended without it.
PASSWORD_FILE_SINCE = {(9, 0): (9, 0, 95), (10, 1): (10, 1, 28), (11, 0): (11, 0, 0)}
PASSWORD_FILE_NEVER = ((8, 5), (10, 0))
VERSION = re.compile(r'^(\d+)\.(\d+)\.(\d+)')


class InstanceError(ValueError):
    pass


def _port(value, where, allow_disabled=False):
    if isinstance(value, bool):
        raise InstanceError('%s must be a port number from 1 to 65535, not %r' % (where, value))
    try:
        port = int(str(value).strip())
    except ValueError:
        raise InstanceError('%s must be a port number from 1 to 65535, not %r' % (where, value)) from None
    if allow_disabled and port == -1:
        return port
    if not 1 <= port <= 65535:
        raise InstanceError('%s must be a port number from 1 to 65535%s, not %d'
                            % (where, ' (or -1: off)' if allow_disabled else '', port))
    return port


def _bool(value, where):
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word not in BOOLEAN_WORDS:
        raise InstanceError('%s must be true or false, not %r' % (where, value))
    return BOOLEAN_WORDS[word]


def _mapping(value, where):
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InstanceError('%s must be a dict, not %r' % (where, value))
    return value


def _text(value):
    return '' if value is None else str(value)


HEAP_SIZE = re.compile(r'^([0-9]+)([kKmMgGtT]?)$')
HEAP_UNITS = {'': 1, 'k': 1 << 10, 'm': 1 << 20, 'g': 1 << 30, 't': 1 << 40}


def heap_bytes(size):
    """The bytes of a JVM heap size (-Xms/-Xmx syntax: 512m, 1g, 1048576); None when it is not one."""
    match = HEAP_SIZE.match(size)
    return int(match.group(1)) * HEAP_UNITS[match.group(2).lower()] if match else None


def reads_password_file(version):
    """Whether Tomcat version (text) reads certificateKeystorePasswordFile; None when the text is no version."""
    match = VERSION.match(version)
    if not match:
        return None
    numbers = tuple(int(part) for part in match.groups())
    line = numbers[:2]
    if line in PASSWORD_FILE_SINCE:
        return numbers >= PASSWORD_FILE_SINCE[line]
    if line in PASSWORD_FILE_NEVER or numbers[0] < 9:
        return False
    return numbers[0] > 11


def package_password_file_error(instances, package_version):
    """Why the distribution's Tomcat (package_version, as the package manager gives it) cannot serve these
    instances' keystore password files; '' when it can, or when the version is unknown."""
    version = re.sub(r'^[0-9]+:', '', package_version or '')
    if reads_password_file(version) is not False:
        return ''
    reading = ['%s (%s)' % (instance['variable'], instance['name'])
               for instance in instances if instance['https']['keystore_password_file']]
    if not reading:
        return ''
    return ("the distribution's Tomcat is %s, which cannot read the keystore password from a file (that needs 9.0.95, "
            '10.1.28 or 11): set https.keystore_password_file to false for %s, or tomcat_keystore_password_file to '
            'false, to have it written into server.xml, or install a newer Tomcat' % (version, ', '.join(reading)))


def _instance(raw, index, source, position, settings):
    """One instance: index is its place in the combined list, source[position] its place in the inventory."""
    variable = '%s[%d]' % (source, position)
    where = variable
    if not isinstance(raw, Mapping):
        raise InstanceError('%s must be a dict with at least a name and ports.https, not %r' % (where, raw))
    name = _text(raw.get('name'))
    if not NAME.match(name):
        raise InstanceError("%s.name '%s' must be 1 to 41 characters of a-z, 0-9, '_', '.', '-', "
                            'starting with a letter or digit' % (where, name))
    where = '%s (%s)' % (where, name)
    at = variable + '.'
    ports = _mapping(raw.get('ports'), at + 'ports')
    if ports.get('https') is None:
        raise InstanceError('%sports.https is required (%s)' % (at, name))
    https = _mapping(raw.get('https'), at + 'https')
    self_signed = _mapping(https.get('self_signed'), at + 'https.self_signed')
    trust = _mapping(raw.get('truststore'), at + 'truststore')
    version = _text(raw.get('version'))
    java_home = _text(raw.get('java_home')) or _text(settings['java_home'])
    if _text(raw.get('java_home')):
        java_home_from = at + 'java_home'
    else:
        java_home_from = 'tomcat_java_home' if java_home else 'tomcat_java_distribution_home'
    if settings['install_method'] == 'archive':
        if version not in [_text(v) for v in settings['archive_versions']]:
            raise InstanceError("%sversion '%s' (%s) is not a version listed in tomcat_archives" % (at, version, name))
        home = '%s/apache-tomcat-%s' % (settings['archive_install_root'], version)
        conf_source = home + '/conf'
    else:
        home = settings['package_catalina_home']
        conf_source = settings['package_conf_source']
    base = _text(raw.get('catalina_base')) or '%s/%s' % (settings['instances_root'], name)
    user = _text(raw.get('user')) or 'tomcat-' + name
    shutdown = -1 if _bool(settings['disable_shutdown_port'], 'tomcat_disable_shutdown_port') else ports.get('shutdown', -1)
    mode = _text(trust.get('mode')) or settings['truststore_mode']
    if mode not in TRUSTSTORE_MODES:
        raise InstanceError("%struststore.mode '%s' (%s) must be one of %s" % (at, mode, name, ', '.join(TRUSTSTORE_MODES)))
    store_type = _text(trust.get('type')) or settings['truststore_type']
    if store_type not in TRUSTSTORE_TYPES:
        raise InstanceError("%struststore.type '%s' (%s) must be pkcs12 or jks" % (at, store_type, name))
    certificates = trust.get('certificates') or []
    if not isinstance(certificates, list):
        raise InstanceError('%struststore.certificates (%s) must be a list' % (at, name))
    for number, certificate in enumerate(certificates):
        entry = '%struststore.certificates[%d] (%s)' % (at, number, name)
        if not isinstance(certificate, Mapping) or not _text(certificate.get('alias')):
            raise InstanceError('%s needs an alias' % entry)
        if 'pem' not in certificate and 'path' not in certificate:
            raise InstanceError('%s needs a pem or a path' % entry)
    heap_initial = _text(raw.get('heap_initial')) or settings['heap_initial']
    heap_max = _text(raw.get('heap_max')) or settings['heap_max']
    initial_bytes, max_bytes = heap_bytes(heap_initial), heap_bytes(heap_max)
    if initial_bytes is not None and max_bytes is not None and initial_bytes > max_bytes:
        raise InstanceError('%sheap_initial %s (%s) is larger than its heap_max %s, and the JVM would refuse to start; '
                            'set %sheap_initial or tomcat_heap_initial'
                            % (at, heap_initial, name, heap_max, at))
    certificate, key = _text(https.get('certificate')), _text(https.get('key'))
    password_file = _bool(https.get('keystore_password_file', settings['keystore_password_file']),
                          at + 'https.keystore_password_file')
    if password_file and settings['install_method'] == 'archive' and reads_password_file(version) is False:
        raise InstanceError(
            "%sversion '%s' (%s): Tomcat reads the keystore password from a file only from 9.0.95, 10.1.28 and 11 on; "
            'set %shttps.keystore_password_file (or tomcat_keystore_password_file) to false, which writes the password '
            'into server.xml, or run a newer version' % (at, version, name, at))
    return {
        'index': index,
        'variable': variable,
        'source': source,
        'position': position,
        'name': name,
        'version': version,
        'java_home': java_home or settings['java_distribution_home'],
        'java_from_distribution': not java_home,
        'java_home_from': java_home_from,
        'catalina_home': home,
        'conf_source': conf_source,
        'catalina_base': base,
        'user': user,
        'group': _text(raw.get('group')) or user,
        'service': settings['service_prefix'] + name,
        'address': _text(raw.get('address')),
        'https_port': _port(ports['https'], at + 'ports.https'),
        'http_port': None if ports.get('http') is None else _port(ports['http'], at + 'ports.http'),
        'http_redirect': _bool(raw.get('http_redirect', True), at + 'http_redirect'),
        'shutdown_port': _port(shutdown, at + 'ports.shutdown', allow_disabled=True),
        'heap_initial': heap_initial,
        'heap_max': heap_max,
        'java_opts': list(settings['java_opts']) + list(raw.get('java_opts') or []),
        'environment': dict(settings['environment'], **_mapping(raw.get('environment'), at + 'environment')),
        'https': {
            'certificate': certificate,
            'key': key,
            'chain': _text(https.get('chain')),
            'self_signed': not certificate and not key,
            'dns': list(self_signed.get('dns') or [settings['hostname']]),
            'ips': list(self_signed.get('ips') or []),
            'days': int(self_signed.get('days') or settings['self_signed_days']),
            'keystore_password_file': password_file,
            # Written by password_files whether or not Tomcat reads it (server.xml names it relative to
            # CATALINA_BASE): it is the keystore's own password, too.
            'password_file': base + '/conf/tls/keystore.pass',
        },
        'truststore': {
            'mode': mode,
            'type': store_type,
            'path': _text(trust.get('path')) or '%s/conf/truststore.%s' % (base, 'jks' if store_type == 'jks' else 'p12'),
            'exclusive': _bool(trust.get('exclusive', False), at + 'truststore.exclusive'),
            'password_file': base + '/conf/truststore.pass' if mode == 'dedicated' else '',
        },
    }


def _unknown_release_settings(instances, settings):
    """The variables that neither the inventory nor the release's vars file set, of those these instances need."""
    needed = []
    if settings['install_method'] == 'package':
        needed += [('tomcat_package_names', settings['package_names']),
                   ('tomcat_package_catalina_home', settings['package_catalina_home']),
                   ('tomcat_package_conf_source', settings['package_conf_source'])]
        if _bool(settings['mask_default_service'], 'tomcat_package_mask_default_service'):
            needed.append(('tomcat_package_default_service', settings['package_default_service']))
    if any(instance['java_from_distribution'] for instance in instances):
        needed += [('tomcat_java_packages', settings['java_packages']),
                   ('tomcat_java_distribution_home', settings['java_distribution_home'])]
    return [name for name, value in needed if not value]


SOURCE = re.compile(r'^tomcat_instances(_for_[A-Za-z0-9_]+)?$')


def _sourced(instances):
    """(variable, position, raw instance) for each instance of tomcat_instances, or of a dict of such lists by name.

    A host in several groups gets the instances of each: tomcat_instances and every tomcat_instances_for_<part>
    (group_vars/hermod's tomcat_instances_for_hermod, group_vars/prime's tomcat_instances_for_prime), in the
    order of their names after tomcat_instances itself.
    """
    if not isinstance(instances, Mapping):
        instances = {'tomcat_instances': instances}
    names = sorted(instances, key=lambda name: (name != 'tomcat_instances', name))
    sourced = []
    for name in names:
        if not SOURCE.match(_text(name)):
            raise InstanceError('tomcat_instances: %r is not tomcat_instances or tomcat_instances_for_<part>' % (name,))
        value = instances[name]
        if value is None:
            continue
        if not isinstance(value, list):
            raise InstanceError('%s must be a list of dicts, each with a name, not %r' % (name, value))
        sourced.extend((name, position, raw) for position, raw in enumerate(value))
    return sourced


def _ports(instance):
    return [port for port in (instance['https_port'], instance['http_port'], instance['shutdown_port'])
            if port not in (None, -1)]


def _holders(instances, values_of, clashing):
    """The instances that hold one of the clashing values, named by variable: 'tomcat_instances[0] (a), ...'."""
    return ', '.join('%s (%s)' % (instance['variable'], instance['name'])
                     for instance in instances if set(values_of(instance)) & set(clashing))


def normalise(instances, settings):
    """The instances with the role's defaults filled in; InstanceError on bad input.

    instances: tomcat_instances, or a dict of the lists of tomcat_instances and each tomcat_instances_for_<part>
    by variable name, which are combined (see _sourced); each instance's index is its place in the combined list
    and its variable its place in the inventory.

    truststore.certificates is left out of the result: its entries may name a certificate fact that
    exists only once an earlier instance is configured, so the role reads them when it needs them.
    """
    missing = [name for name in SETTINGS if name not in settings]
    if missing:
        raise InstanceError('tomcat_instances: the role passed no %s' % ', '.join(missing))
    result = [_instance(raw, index, source, position, settings)
              for index, (source, position, raw) in enumerate(_sourced(instances))]
    unknown = _unknown_release_settings(result, settings)
    if unknown:
        raise InstanceError('the tomcat role knows no package names and paths for %s (it knows %s): set %s'
                            % (settings['release'], RELEASES_KNOWN, ', '.join(unknown)))
    names = repeated(instance['name'] for instance in result)
    if names:
        raise InstanceError('tomcat_instances: the instance name(s) %s appear more than once (%s)'
                            % (', '.join(names), _holders(result, lambda i: [i['name']], names)))
    ports = repeated(port for instance in result for port in _ports(instance))
    if ports:
        raise InstanceError('tomcat_instances: port(s) %s used more than once (https, http and shutdown ports of all '
                            'instances must differ; %s)'
                            % (', '.join(str(port) for port in ports), _holders(result, _ports, ports)))
    bases = repeated(instance['catalina_base'] for instance in result)
    if bases:
        raise InstanceError('tomcat_instances: CATALINA_BASE %s used by more than one instance (%s)'
                            % (', '.join(bases), _holders(result, lambda i: [i['catalina_base']], bases)))
    return result


REQUIREMENT_KINDS = ('given', 'distribution_java', 'all')


def host_requirements(instances, which, install_method):
    """What the instances need on the host, as items of the host_requirements module.

    Each distinct Java of the instances (JAVA_HOME/bin/java, naming the variable and the instances that
    use it) and, for the package method, the distribution's Tomcat (CATALINA_HOME/lib/catalina.jar).
    which: 'given', the Javas the inventory names, checked before the role changes anything;
    'distribution_java', the distribution's Java, checked once its package is installed; 'all', every
    Java and the distribution's Tomcat, for a host the role installs nothing on.
    """
    if which not in REQUIREMENT_KINDS:
        raise InstanceError('tomcat_host_requirements: which must be one of %s, not %r'
                            % (', '.join(REQUIREMENT_KINDS), which))
    packaged = {'given': (False,), 'distribution_java': (True,), 'all': (False, True)}[which]
    javas = {}
    for instance in instances:
        if instance['java_from_distribution'] in packaged:
            javas.setdefault(instance['java_home'], []).append(instance)
    items = []
    for java_home, users in javas.items():
        sources = []
        for instance in users:
            if instance['java_home_from'] not in sources:
                sources.append(instance['java_home_from'])
        items.append({'path': java_home + '/bin/java', 'executable': True,
                      'variable': '%s (instance %s)' % (' or '.join(sources), ', '.join(i['name'] for i in users))})
    if which == 'all' and install_method == 'package' and instances:
        items.append({'path': instances[0]['catalina_home'] + '/lib/catalina.jar',
                      'variable': 'tomcat_package_names and tomcat_package_catalina_home'})
    return items


def cacerts_path(instance, stat):
    """Where the JVM's cacerts of an instance really is, from a stat of JAVA_HOME/lib/security/cacerts.

    On Debian it is a link to /etc/ssl/certs/java/cacerts: stores are replaced atomically, which must
    happen to the target, not to the link.
    """
    stat = stat or {}
    if stat.get('islnk') and stat.get('lnk_source'):
        return stat['lnk_source']
    return '%s/lib/security/cacerts' % instance['java_home']


def instances_info(instances, cacerts_stats):
    """What other roles and later plays need of each instance, by name (the fact tomcat_instances_info).

    cacerts_stats holds one stat result (or None) per instance, in the instances' order.
    """
    if len(cacerts_stats) != len(instances):
        raise InstanceError('tomcat_instances_info: %d cacerts stats for %d instances' % (len(cacerts_stats), len(instances)))
    info = {}
    for instance, stat in zip(instances, cacerts_stats):
        mode = instance['truststore']['mode']
        cacerts = cacerts_path(instance, stat) if mode != 'none' else ''
        dedicated = mode == 'dedicated'
        info[instance['name']] = {
            'catalina_home': instance['catalina_home'],
            'catalina_base': instance['catalina_base'],
            'java_home': instance['java_home'],
            'java_cacerts': cacerts,
            'service': instance['service'] + '.service',
            'user': instance['user'],
            'group': instance['group'],
            'https_port': instance['https_port'],
            'http_port': instance['http_port'],
            'address': instance['address'],
            'webapps': instance['catalina_base'] + '/webapps',
            'truststore': {
                'mode': mode,
                'path': instance['truststore']['path'] if dedicated else cacerts,
                'type': instance['truststore']['type'] if dedicated else '',
                'password_file': instance['truststore']['password_file'],
            },
        }
    return info


def password_files(instances):
    """The files of the password_files module for the instances: each one's keystore and dedicated truststore password.

    Readable by root and the instance's group, since Tomcat reads the
    keystore password file itself.
    """
    files = []
    for instance in instances:
        paths = [instance['https']['password_file']]
        if instance['truststore']['password_file']:
            paths.append(instance['truststore']['password_file'])
        files.extend({'path': path, 'owner': 'root', 'group': instance['group'], 'mode': '0640'} for path in paths)
    return files


def _looped_instance(result):
    """The instance name a loop result of the role belongs to: its loop item is an instance or a list led by one."""
    item = result.get(result.get('ansible_loop_var') or 'item')
    if isinstance(item, (list, tuple)) and item:
        item = item[0]
    if isinstance(item, Mapping) and 'name' in item:
        return item['name']
    raise InstanceError('tomcat_changed_instances: a loop result whose item is not an instance: %r' % (item,))


def changed_instances(instances, registered):
    """The names of the instances, in their order, that a change in any of the registered loop results belongs to.

    Each registered value is a loop over instances (each item an instance, or a list whose first element
    is one); a value that is not a loop result (a skipped task) holds no change.
    """
    changed = set()
    for value in registered:
        if not isinstance(value, Mapping):
            raise InstanceError('tomcat_changed_instances: a registered value that is not a task result: %r' % (value,))
        for result in value.get('results') or []:
            if isinstance(result, Mapping) and result.get('changed'):
                changed.add(_looped_instance(result))
    return [instance['name'] for instance in instances if instance['name'] in changed]


CERTIFICATE = re.compile(r'-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----')


def server_certificates(results):
    """Each instance's server certificate (its first PEM block), by name, from the loop results of a slurp."""
    certificates = {}
    for result in results:
        if not isinstance(result, Mapping) or 'content' not in result:
            continue
        text = base64.b64decode(result['content']).decode('ascii', 'replace')
        match = CERTIFICATE.search(text)
        if match:
            certificates[_looped_instance(result)] = match.group(0)
    return certificates
