# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The tomcat role's instance filters. Their documentation is in the .yml files beside this file."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.prime_hermod.stack.plugins.module_utils.tomcat_instances import (
    InstanceError, changed_instances, host_requirements, instances_info, normalise, package_password_file_error, password_files,
    server_certificates,
)


def _filter_errors(function):
    def wrapped(*args):
        try:
            return function(*args)
        except InstanceError as error:
            raise AnsibleFilterError(str(error)) from None
    wrapped.__name__ = function.__name__
    return wrapped


@_filter_errors
def tomcat_instances(instances, settings):
    return normalise(instances, settings)


@_filter_errors
def tomcat_instances_info(instances, cacerts_results):
    return instances_info(instances, [(result or {}).get('stat') for result in cacerts_results])


@_filter_errors
def tomcat_changed_instances(instances, registered):
    return changed_instances(instances, registered)


@_filter_errors
def tomcat_password_files(instances):
    return password_files(instances)


@_filter_errors
def tomcat_package_password_file_error(instances, package_version):
    return package_password_file_error(instances, package_version)


@_filter_errors
def tomcat_host_requirements(instances, which, install_method):
    return host_requirements(instances, which, install_method)


@_filter_errors
def tomcat_server_certificates(slurp_results):
    return server_certificates(slurp_results)


class FilterModule:
    def filters(self):
        return {
            'tomcat_instances': tomcat_instances,
            'tomcat_instances_info': tomcat_instances_info,
            'tomcat_changed_instances': tomcat_changed_instances,
            'tomcat_server_certificates': tomcat_server_certificates,
            'tomcat_password_files': tomcat_password_files,
            'tomcat_package_password_file_error': tomcat_package_password_file_error,
            'tomcat_host_requirements': tomcat_host_requirements,
        }
