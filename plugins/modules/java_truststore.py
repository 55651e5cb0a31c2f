#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: java_truststore
short_description: Manage trusted certificates in a Java keystore with one read and one write
version_added: 0.1.0
description:
  - Adds, replaces and removes trusted certificate entries (C(trustedCertEntry)) of a Java keystore on the target,
    using the target's C(keytool).
  - The store type (JKS, JCEKS or PKCS#12) of an existing store is detected from the file's first bytes.
  - The current entries are read with one C(keytool -list -rfc) call; fingerprints are computed in Python.
    When something must change, the new store is built by one C(keytool -importkeystore) call from an
    intermediate store holding the complete trusted set, so a run that changes the store starts keytool
    twice and a run that changes nothing starts it once, for any number of certificates.
  - A run that changes nothing records the listing (aliases, entry types and fingerprints, no certificate or
    password) in C(.<name>.listing) beside the store, readable by its owner only, with the SHA-256 of the
    store's content and a salted PBKDF2 digest of the password. The next run uses that record instead of
    starting keytool while the store's content and the password are the same, so repeated runs that change
    nothing start no JVM. Any change to the file, by any tool, or another password sends the run to keytool
    again; a run that must change the store lists it with keytool and builds the new store from that
    listing, never from the record. Check mode reads a record but writes none. A record that is a symbolic link,
    belongs to another user or is writable by others is not read.
  - Key entries (C(PrivateKeyEntry), C(SecretKeyEntry)) are preserved and never changed. In a store that holds
    key entries, additions and replacements are still one import, but each removed alias costs one extra
    C(keytool -delete) call.
  - Changes are made on a copy in a private directory next to the store, then moved over the original with one
    rename that keeps its owner, mode and SELinux context. A failing or interrupted run leaves the original
    byte for byte as it was, and its result reports no change (C(changed) and C(created) false, no entry
    added, replaced or removed).
  - The store's directory must exist and be writable when something must change; otherwise the task fails,
    naming the directory, and check mode fails the same way.
  - Runs on the same store wait for each other, so that none loses another's change. Each holds an exclusive
    lock (C(flock)) on the file C(.<name>.lock) beside the store, from before it reads the store until the new
    store is in place. The lock file is created (not world-writable) on the first run and stays. Only
    runs of this module take it; other tools writing the store do not. Check mode takes no lock and creates no
    lock file.
  - A PKCS#12 store keeps its protection. Its integrity MAC and certificate encryption (algorithm and iteration
    count) are read from the file, without the password, and the new store is written with the same ones
    (keytool's C(keystore.pkcs12.*) properties). In particular a password-less PKCS#12 store, without MAC and
    with unencrypted certificates, as JDK 18 and later ship C(lib/security/cacerts), stays password-less, so a
    JVM that reads it without C(javax.net.ssl.trustStorePassword) still trusts its certificates. The task fails,
    leaving the store unchanged, when the keytool used does not honour these properties for such a store.
  - A protection the module cannot name (an algorithm it does not know) is left to keytool's defaults, which
    protect the store; a PKCS#12 file whose structure it cannot read gets keytool's defaults, with a warning.
    JKS and JCEKS stores stay JKS and JCEKS. A store this module creates gets keytool's default protection.
  - The password reaches keytool through its environment (C(-storepass:env)), never on a command line.
  - Entries are identified by alias and SHA-256 fingerprint. Aliases are case-insensitive in Java keystores;
    this module lower-cases them and returns them lower-cased.
author:
  - prime_hermod.stack maintainers (@prime-hermod)
options:
  path:
    description:
      - Path of the keystore on the target.
      - A missing or empty file is a missing store, see O(create).
      - A symbolic link is followed; the file it points to is changed and the link stays.
    type: path
    required: true
  password:
    description:
      - Password of the keystore. Also the password of a store created by this module.
      - keytool needs at least 6 characters for a new store.
      - A password-less PKCS#12 store (no integrity MAC, certificates not encrypted, such as the C(cacerts) of
        JDK 18 and later) is read with any password, conventionally C(changeit), and stays password-less.
        The module tells such a store by its content, see the description; there is no option for it.
      - Exactly one of O(password) and O(password_file) is required.
    type: str
  password_file:
    description:
      - A file on the target holding the keystore password. One trailing newline is ignored.
    type: path
  certificates:
    description:
      - The entries to manage. Entries of the store that are not listed are left alone, unless O(exclusive=true).
    type: list
    elements: dict
    default: []
    suboptions:
      alias:
        description:
          - Alias of the entry. Compared case-insensitively; stored lower-cased.
          - An alias may appear only once in the list.
          - Control characters (below U+0020, and U+007F), such as line breaks and tabs, are refused before the
            store is read or changed.
          - Naming an alias that holds a key entry is an error.
        type: str
        required: true
      pem:
        description:
          - The certificate as PEM text.
          - When the text holds several certificates (a chain), the first one becomes the entry;
            the others are ignored. To trust an issuer, list it as an entry of its own.
          - Mutually exclusive with O(certificates[].path).
        type: str
      path:
        description:
          - A PEM file on the target holding the certificate, read like O(certificates[].pem).
        type: path
      state:
        description:
          - V(present) makes the alias hold this certificate, replacing a different certificate under the same alias.
            Requires O(certificates[].pem) or O(certificates[].path).
          - V(absent) removes the alias. When O(certificates[].pem) or O(certificates[].path) is given as well, the
            certificate is also removed from every other alias that holds it.
          - Defaults to O(state).
        type: str
        choices: [present, absent]
  state:
    description:
      - Default for O(certificates[].state).
      - This option never removes the store file itself.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - Remove every trusted certificate entry whose alias is not listed with O(certificates[].state=present).
      - Key entries are kept.
      - Meant for dedicated truststores; cannot be combined with O(copy_from).
    type: bool
    default: false
  on_duplicate:
    description:
      - What to do when a listed certificate is already trusted under another alias that stays in the store.
      - Duplicates are always returned in RV(duplicates).
      - V(warn) does not add the certificate a second time (a replacement is skipped and the alias keeps its
        current certificate) and warns.
      - V(add) adds it under the listed alias anyway and warns.
      - V(fail) fails the task.
    type: str
    choices: [warn, add, fail]
    default: warn
  create:
    description:
      - Create the store when it is missing, with the type O(store_type).
      - When V(false) and the store is missing, the task fails if there is anything to add.
      - Nothing is created when no certificate is listed present and O(copy_from) is not set.
    type: bool
    default: true
  copy_from:
    description:
      - When the store is created, start from the trusted certificates of this keystore on the target,
        for example the JVM's C(cacerts). Key entries of that store are not copied (with a warning).
      - Used only when the store is created; an existing store is never re-seeded.
    type: path
  copy_from_password:
    description:
      - Password of O(copy_from). Defaults to the password of the store.
    type: str
  store_type:
    description:
      - Type of a store created by this module. An existing store keeps its type.
    type: str
    choices: [pkcs12, jks]
    default: pkcs12
  backup:
    description:
      - Before replacing the store, keep a copy of it with a timestamp in its name.
    type: bool
    default: false
  keytool:
    description:
      - Path of the keytool to run. Mutually exclusive with O(java_home).
      - By default, C(keytool) is searched on E(PATH).
    type: path
  java_home:
    description:
      - A Java installation whose C(bin/keytool) is run. Mutually exclusive with O(keytool).
    type: path
extends_documentation_fragment:
  - ansible.builtin.files
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - Reads the store (and O(copy_from)) and predicts every change; writes nothing, not even the lock file.
      - Fails where the real run would fail for a missing or read-only directory.
  diff_mode:
    support: full
    details: Shows the store's entries (alias and SHA-256 fingerprint) before and after.
  platform:
    platforms: posix
  safe_file_operations:
    description: Uses Ansible's strict file operation functions to ensure proper permissions and avoid data corruption.
    support: full
requirements:
  - keytool (any JDK or JRE from Java 8 on) on the target
notes:
  - No Python library beyond the standard library is needed on the target.
seealso:
  - module: community.general.java_cert
  - module: community.general.java_keystore
"""

EXAMPLES = r"""
- name: Give a Tomcat instance its own truststore, the JVM's CAs plus the peer's certificate
  prime_hermod.stack.java_truststore:
    path: /opt/tomcat/prime/conf/truststore.p12
    password: "{{ prime_truststore_password }}"
    copy_from: /etc/ssl/certs/java/cacerts
    copy_from_password: changeit
    certificates:
      - alias: hermod
        pem: "{{ hermod_certificate_pem }}"
    owner: root
    group: tomcat
    mode: "0640"

- name: Trust two CAs in the JVM's own cacerts, certificates read from files on the target
  prime_hermod.stack.java_truststore:
    path: /etc/ssl/certs/java/cacerts
    password_file: /etc/prime-hermod/cacerts.pass
    backup: true
    certificates:
      - alias: corp-root
        path: /usr/local/share/ca-certificates/corp-root.crt
      - alias: corp-issuing
        path: /usr/local/share/ca-certificates/corp-issuing.crt

- name: Trust a CA in the cacerts of a JDK 18 or later, which stays password-less
  prime_hermod.stack.java_truststore:
    path: /opt/java/openjdk/lib/security/cacerts
    # Any password reads a password-less store; it protects nothing here.
    password: changeit
    certificates:
      - alias: corp-root
        path: /usr/local/share/ca-certificates/corp-root.crt

- name: Exactly these certificates and nothing else (key entries are kept)
  prime_hermod.stack.java_truststore:
    path: /srv/app/trust.jks
    password: "{{ app_truststore_password }}"
    store_type: jks
    exclusive: true
    certificates:
      - alias: partner-a
        pem: "{{ partner_a_pem }}"
      - alias: partner-b
        pem: "{{ partner_b_pem }}"

- name: Remove an alias, and the old certificate wherever it is
  prime_hermod.stack.java_truststore:
    path: /srv/app/trust.p12
    password: "{{ app_truststore_password }}"
    java_home: /usr/lib/jvm/java-17-openjdk-amd64
    certificates:
      - alias: retired
        state: absent
        pem: "{{ retired_pem }}"
"""

RETURN = r"""
path:
  description: Path of the keystore.
  returned: always
  type: str
  sample: /opt/tomcat/prime/conf/truststore.p12
store_type:
  description: Type of the keystore, detected or, for a new store, O(store_type).
  returned: always
  type: str
  sample: PKCS12
created:
  description: Whether the store was (or, in check mode, would be) created. Always false for a failed task.
  returned: always
  type: bool
  sample: false
added:
  description: Entries added. Empty for a failed task, which changes nothing; the same holds for RV(replaced) and
    RV(removed).
  returned: always
  type: list
  elements: dict
  contains:
    alias:
      description: Alias, lower-cased.
      type: str
    sha256:
      description: SHA-256 fingerprint of the certificate, colon-separated upper-case hex as keytool prints it.
      type: str
  sample: [{"alias": "hermod", "sha256": "1A:9F:3F:...:78:C1"}]
replaced:
  description: Aliases whose certificate was replaced.
  returned: always
  type: list
  elements: dict
  contains:
    alias:
      description: Alias, lower-cased.
      type: str
    sha256:
      description: Fingerprint of the new certificate.
      type: str
    previous_sha256:
      description: Fingerprint of the certificate it replaced.
      type: str
  sample: [{"alias": "hermod", "sha256": "1A:9F:...", "previous_sha256": "5C:03:..."}]
removed:
  description: Entries removed (by O(certificates[].state=absent) or O(exclusive)).
  returned: always
  type: list
  elements: dict
  contains:
    alias:
      description: Alias, lower-cased.
      type: str
    sha256:
      description: Fingerprint of the removed certificate.
      type: str
  sample: [{"alias": "retired", "sha256": "77:E0:..."}]
unchanged:
  description: Listed present entries that were already in place.
  returned: always
  type: list
  elements: dict
  contains:
    alias:
      description: Alias, lower-cased.
      type: str
    sha256:
      description: Fingerprint of the certificate.
      type: str
  sample: [{"alias": "corp-root", "sha256": "0B:2C:..."}]
duplicates:
  description:
    - Listed certificates that are (or would be) trusted under another alias as well. See O(on_duplicate).
  returned: always
  type: list
  elements: dict
  contains:
    alias:
      description: The listed alias.
      type: str
    sha256:
      description: Fingerprint of the certificate.
      type: str
    existing_alias:
      description: The other alias holding the same certificate.
      type: str
  sample: [{"alias": "my-root", "sha256": "0B:2C:...", "existing_alias": "debian:corp_root.pem"}]
backup_file:
  description: Path of the backup, when O(backup=true) and the store was replaced.
  returned: changed and backup requested
  type: str
  sample: /etc/ssl/certs/java/cacerts.12345.2025-11-27@21:40:01~
"""

import contextlib
import os
import secrets

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.prime_hermod.stack.plugins.module_utils.atomic_replace import (
    StagingDirectory,
    replace_file,
    staging_problem,
)
from ansible_collections.prime_hermod.stack.plugins.module_utils.jks_truststore import jks_truststore_bytes
from ansible_collections.prime_hermod.stack.plugins.module_utils.keytool import (
    Keytool,
    KeytoolError,
    KeytoolKilledError,
    LockError,
    detect_store_type,
    exclusive_lock,
    find_keytool,
)
from ansible_collections.prime_hermod.stack.plugins.module_utils.pem_certificates import (
    CertificateError,
    first_certificate,
    sha256_fingerprint,
)
from ansible_collections.prime_hermod.stack.plugins.module_utils.password_file import password_from_file_text
from ansible_collections.prime_hermod.stack.plugins.module_utils.pkcs12_protection import (
    Pkcs12FormatError,
    protection_changes,
    read_protection,
)
from ansible_collections.prime_hermod.stack.plugins.module_utils.store_listing import (
    content_sha256,
    forget_listing,
    read_listing,
    write_listing,
)
from ansible_collections.prime_hermod.stack.plugins.module_utils.truststore_plan import (
    PlanError,
    Wanted,
    alias_problem,
    compute_plan,
    describe,
    normalize_alias,
)


def read_text_file(module, path, what):
    try:
        with open(path, 'rb') as handle:
            return handle.read().decode('utf-8', errors='replace')
    except (IOError, OSError) as exc:
        module.fail_json(msg='%s: cannot read %s: %s' % (what, path, to_native(exc)))


def store_password(module):
    if module.params['password'] is not None:
        password = module.params['password']
    else:
        password = password_from_file_text(read_text_file(module, module.params['password_file'], 'password_file'))
    if not password:
        module.fail_json(msg='the keystore password is empty')
    module.no_log_values.add(password)
    return password


def wanted_entries(module):
    """Validate the certificate list; every error names the alias it is about."""
    items = module.params['certificates']
    # Every alias first, so that a bad one is refused before any file is read.
    for index, item in enumerate(items):
        problem = alias_problem(item['alias'])
        if problem:
            module.fail_json(msg='certificates[%d].alias %s' % (index, problem))
    result = []
    for item in items:
        alias = item['alias']
        state = item['state'] or module.params['state']
        text = item['pem']
        if item['path'] is not None:
            text = read_text_file(module, item['path'], 'alias %r' % alias)
        if text is None:
            if state == 'present':
                module.fail_json(msg='alias %r: state=present needs pem or path' % alias)
            result.append(Wanted(normalize_alias(alias), state))
            continue
        try:
            der = first_certificate(text)
        except CertificateError as exc:
            source = 'file %s' % item['path'] if item['path'] is not None else 'pem'
            module.fail_json(msg='alias %r: unreadable certificate in %s: %s' % (alias, source, exc))
        result.append(Wanted(normalize_alias(alias), state, der, sha256_fingerprint(der)))
    return result


def existing_store(module, path):
    """(exists, store_type); an empty file counts as missing."""
    if not os.path.lexists(path):
        return False, None
    if not os.path.isfile(path):
        module.fail_json(msg='%s exists but is not a regular file' % path)
    try:
        store_type = detect_store_type(path)
    except (IOError, OSError) as exc:
        module.fail_json(msg='cannot read %s: %s' % (path, to_native(exc)))
    except KeytoolError as exc:
        module.fail_json(msg=to_native(exc))
    return store_type is not None, store_type


def seed_entries(module, keytool, password):
    """Trusted entries of copy_from, for a store being created."""
    source = module.params['copy_from']
    if source is None:
        return []
    exists, source_type = existing_store(module, source)
    if not exists:
        module.fail_json(msg='copy_from %s does not exist or is empty' % source)
    source_password = module.params['copy_from_password']
    if source_password is None:
        source_password = password
    entries = keytool.list_entries(source, source_type, source_password)
    skipped = [entry.alias for entry in entries if not entry.trusted]
    if skipped:
        module.warn('copy_from %s: key entries not copied: %s' % (source, ', '.join(skipped)))
    return [entry for entry in entries if entry.trusted]


def diff_lines(current, plan, path):
    before = [(entry.alias, entry.sha256, entry.entry_type) for entry in current]
    after = [(alias, sha256_fingerprint(der), None) for alias, der in plan.final_trusted]
    after += [(entry.alias, None, entry.entry_type) for entry in plan.other_entries]
    return {
        'before_header': '%s (entries)' % path,
        'after_header': '%s (entries)' % path,
        'before': describe(before),
        'after': describe(after),
    }


def store_protection(module, path, exists, store_type):
    """How an existing PKCS#12 store is protected, so that its new version is protected the same way.

    None for a new store, a JKS or JCEKS store, or a PKCS#12 file whose
    structure is not understood: keytool's defaults apply to those.
    """
    if not exists or store_type != 'PKCS12':
        return None
    try:
        return read_protection(path)
    except (IOError, OSError, Pkcs12FormatError) as exc:
        module.warn('cannot tell how %s is protected (%s); its new version gets keytool\'s default protection, '
                    'an integrity MAC and encrypted certificates' % (path, to_native(exc)))
        return None


def check_protection(module, protection, new_store, path, keytool):
    """Refuse a new store that a password-less JVM could no longer read; warn about other changes."""
    if protection is None:
        return
    try:
        written = read_protection(new_store)
    except (IOError, OSError, Pkcs12FormatError) as exc:
        raise KeytoolError('cannot read how keytool protected the new version of %s: %s' % (path, to_native(exc)))
    changes = protection_changes(protection, written)
    if protection.password_less and not written.password_less:
        raise KeytoolError('keytool %s wrote the new version of %s with a password (%s), but the store has none '
                           'and a JVM reading it without one would trust no certificate; this keytool ignores the '
                           'keystore.pkcs12.* properties: use a newer one (option keytool or java_home)'
                           % (keytool.executable, path, '; '.join(changes)))
    if changes:
        module.warn('keytool %s did not keep the protection of %s: %s'
                    % (keytool.executable, path, '; '.join(changes)))


def write_store(module, keytool, plan, path, exists, store_type, password):
    """Build the new store in a staging directory and swap it in; return the backup path."""
    staging_password = secrets.token_hex(16)
    protection = store_protection(module, path, exists, store_type)
    java_options = protection.keytool_options() if protection is not None else []
    with StagingDirectory(path) as stage:
        new_store = stage.file('store')
        intermediate = stage.file('intermediate.jks')
        if plan.other_entries:
            # Key entries cannot be rebuilt from the listing: edit a copy of the store instead.
            with open(path, 'rb') as source, open(new_store, 'wb') as target:
                target.write(source.read())
            for entry in plan.removals:
                keytool.delete(new_store, store_type, password, entry.alias, java_options, store=path)
            imports = [(item.alias, item.der) for item in plan.writes]
        else:
            imports = plan.final_trusted
        if imports or not plan.other_entries:
            with open(intermediate, 'wb') as handle:
                handle.write(jks_truststore_bytes(imports, staging_password))
            try:
                keytool.import_store(intermediate, 'JKS', staging_password, new_store, store_type, password,
                                     len(imports), java_options, store=path)
            except KeytoolKilledError:
                raise
            except KeytoolError as exc:
                # Entries already in the store came from keytool itself, so a
                # certificate Java refuses is one of the listed ones.
                said = (exc.keytool_text or '').lower()
                if 'keytool error' in said and 'certificate' in said and plan.writes:
                    raise KeytoolError('keytool refused a certificate of alias %s for %s: %s'
                                       % (' or '.join(repr(item.alias) for item in plan.writes), path,
                                          exc.keytool_text))
                raise
        check_protection(module, protection, new_store, path, keytool)
        backup_file = None
        if exists and module.params['backup']:
            backup_file = module.backup_local(path)
        forget_listing(path)
        replace_file(module, new_store, path)
    return backup_file


def fail_unchanged(module, message, path, result):
    # Every write goes to a staging copy, so a failure before the final rename
    # leaves the store as it was: say so, and claim no change.
    if result['changed']:
        message = '%s; %s was not %s' % (message, path, 'created' if result['created'] else 'changed')
    result.update(changed=False, created=False, added=[], replaced=[], removed=[])
    module.fail_json(msg=message, **result)


def refuse_unwritable(module, path, exists, result):
    """Fail, in check mode as in a real run, when the store's directory cannot take a new version."""
    problem = staging_problem(path)
    if problem:
        fail_unchanged(module, 'cannot %s %s: %s' % ('change' if exists else 'create', path, problem), path, result)


def store_lock(module, path):
    """The lock that keeps concurrent runs from losing each other's change (see exclusive_lock).

    Check mode writes nothing, not even a lock file; a directory that does
    not exist holds no store to lock.
    """
    if module.check_mode or not os.path.isdir(os.path.dirname(path)):
        return contextlib.nullcontext()
    return exclusive_lock(path)


def plan_changes(module, current, wanted, result):
    params = module.params
    try:
        return compute_plan(current, wanted, params['exclusive'], params['on_duplicate'])
    except PlanError as exc:
        module.fail_json(msg=to_native(exc), **result)


def update_store(module, keytool, path, password, wanted, result):
    """Read, plan and (unless in check mode) write the store; return the diff of its entries, if any."""
    params = module.params
    exists, store_type = existing_store(module, path)
    from_record, store_sha256 = False, None
    if exists:
        store_sha256 = content_sha256(path)
        current = read_listing(path, store_type, password, store_sha256)
        from_record = current is not None
        if not from_record:
            current = keytool.list_entries(path, store_type, password)
    else:
        store_type = params['store_type'].upper()
        nothing_to_add = not any(item.state == 'present' for item in wanted) and not params['copy_from']
        if nothing_to_add:
            result['store_type'] = store_type
            module.exit_json(**result)
        if not params['create']:
            module.fail_json(msg='%s does not exist and create is false' % path)
        refuse_unwritable(module, path, exists, result)
        current = seed_entries(module, keytool, password)
    result['store_type'] = store_type

    plan = plan_changes(module, current, wanted, result)
    if plan.changed and from_record:
        # A new store is built from what keytool lists, never from the record.
        current = keytool.list_entries(path, store_type, password)
        plan = plan_changes(module, current, wanted, result)
    for warning in plan.warnings:
        module.warn(warning)
    result.update(added=plan.added, replaced=plan.replaced, removed=plan.removed,
                  unchanged=plan.unchanged, duplicates=plan.duplicates)
    result['created'] = not exists
    result['changed'] = plan.changed or not exists
    if not result['changed']:
        # Recorded only when the file is still what keytool listed.
        if not from_record and not module.check_mode and content_sha256(path) == store_sha256:
            write_listing(path, store_type, password, current, store_sha256)
        return None
    if exists:
        refuse_unwritable(module, path, exists, result)
    if not module.check_mode:
        backup_file = write_store(module, keytool, plan, path, exists, store_type, password)
        if backup_file:
            result['backup_file'] = backup_file
    return diff_lines(current if exists else [], plan, path) if module._diff else None


def main():
    certificate_spec = dict(
        alias=dict(type='str', required=True),
        pem=dict(type='str'),
        path=dict(type='path'),
        state=dict(type='str', choices=['present', 'absent']),
    )
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            password=dict(type='str', no_log=True),
            password_file=dict(type='path', no_log=False),
            certificates=dict(type='list', elements='dict', default=[], options=certificate_spec,
                              mutually_exclusive=[('pem', 'path')]),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            exclusive=dict(type='bool', default=False),
            on_duplicate=dict(type='str', choices=['warn', 'add', 'fail'], default='warn'),
            create=dict(type='bool', default=True),
            copy_from=dict(type='path'),
            copy_from_password=dict(type='str', no_log=True),
            store_type=dict(type='str', choices=['pkcs12', 'jks'], default='pkcs12'),
            backup=dict(type='bool', default=False),
            keytool=dict(type='path', no_log=False),
            java_home=dict(type='path'),
        ),
        mutually_exclusive=[('password', 'password_file'), ('keytool', 'java_home')],
        required_one_of=[('password', 'password_file')],
        add_file_common_args=True,
        supports_check_mode=True,
    )
    params = module.params
    # Distributions often make cacerts a symbolic link into a generated tree:
    # change the file it points to and keep the link.
    path = os.path.realpath(params['path'])
    if params['exclusive'] and params['copy_from']:
        module.fail_json(msg='exclusive and copy_from are mutually exclusive: exclusive would remove what copy_from brings')

    password = store_password(module)
    wanted = wanted_entries(module)
    keytool = Keytool(module, find_keytool(module, params['keytool'], params['java_home']))

    result = dict(changed=False, path=params['path'], created=False, added=[], replaced=[], removed=[],
                  unchanged=[], duplicates=[])
    diffs = []
    try:
        with store_lock(module, path):
            entries_diff = update_store(module, keytool, path, password, wanted, result)
    except LockError as exc:
        module.fail_json(msg=to_native(exc), **result)
    except KeytoolError as exc:
        fail_unchanged(module, to_native(exc), path, result)
    except (IOError, OSError) as exc:
        fail_unchanged(module, 'cannot write %s: %s' % (path, to_native(exc)), path, result)
    if entries_diff:
        diffs.append(entries_diff)

    if os.path.exists(path):
        attr_diff = dict(before={}, after={})
        file_args = module.load_file_common_arguments(params, path=path)
        result['changed'] = module.set_fs_attributes_if_different(file_args, result['changed'], diff=attr_diff)
        if module._diff and (attr_diff['before'] or attr_diff['after']):
            diffs.append(attr_diff)
    if diffs:
        result['diff'] = diffs
    module.exit_json(**result)


if __name__ == '__main__':
    main()
