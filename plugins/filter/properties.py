# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The .properties reader of the java_properties module, as a filter. Documented in parse_java_properties.yml."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.module_utils.java_properties import PropertiesError, parse, to_map


def parse_java_properties(text):
    try:
        return to_map(parse(text or ''))
    except PropertiesError as error:
        raise AnsibleFilterError('parse_java_properties: %s' % error) from None


class FilterModule:
    def filters(self):
        return {'parse_java_properties': parse_java_properties}
