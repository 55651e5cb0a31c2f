# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lists the SQL scripts of a Hermod distribution without unpacking it.

Usage: list_scripts.py DISTRIBUTION TAR_PATTERN SCRIPT_DIR
DISTRIBUTION is the vendor's zip (the tar inside it holds the scripts), that
tar (optionally compressed) or a directory holding either unpacked. Prints a
JSON list of the script names found in SCRIPT_DIR.
"""

import io
import json
import os
import re
import sys
import tarfile
import zipfile


def in_dir(names, script_dir):
    prefix = script_dir.strip('/') + '/'
    found = []
    for name in names:
        name = name.lstrip('./')
        if name.startswith(prefix) and '/' not in name[len(prefix):] and name[len(prefix):]:
            found.append(name[len(prefix):])
    return found


def from_tar(fileobj, script_dir):
    with tarfile.open(fileobj=fileobj, mode='r:*') as archive:
        return in_dir([member.name for member in archive.getmembers() if member.isfile()], script_dir)


def main(distribution, tar_pattern, script_dir):
    pattern = re.compile(tar_pattern)
    if os.path.isdir(distribution):
        direct = os.path.join(distribution, script_dir)
        if os.path.isdir(direct):
            return sorted(os.listdir(direct))
        for root, _dirs, files in os.walk(distribution):
            for name in files:
                if pattern.search(name):
                    with open(os.path.join(root, name), 'rb') as handle:
                        return from_tar(handle, script_dir)
        return []
    if zipfile.is_zipfile(distribution):
        with zipfile.ZipFile(distribution) as archive:
            for name in archive.namelist():
                if pattern.search(os.path.basename(name)):
                    return from_tar(io.BytesIO(archive.read(name)), script_dir)
        return []
    with open(distribution, 'rb') as handle:
        return from_tar(handle, script_dir)


if __name__ == '__main__':
    print(json.dumps(main(*sys.argv[1:4])))
