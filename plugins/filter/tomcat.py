# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The tomcat role's instance filter. Its documentation is in tomcat_instances.yml beside this file."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.module_utils.tomcat_instances import InstanceError, normalise


def tomcat_instances(instances, settings):
    try:
        return normalise(instances, settings)
    except InstanceError as error:
        raise AnsibleFilterError(str(error)) from None


class FilterModule:
    def filters(self):
        return {'tomcat_instances': tomcat_instances}
