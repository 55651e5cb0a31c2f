"""Stand-in for the pip bootstrap script ansible-test downloads.

ansible-test runs ``get_pip_<version>.py`` to put pip into the virtual
environments it creates. The script it would download is not reachable from
the test machines, so this one does the same job: bootstrap pip with
``ensurepip``, then run ``pip install`` with the arguments it was given.
"""

import os
import subprocess
import sys

UNSUPPORTED = {"--no-setuptools", "--no-wheel"}


def main():
    saved = dict(os.environ)
    import ensurepip

    ensurepip.bootstrap(upgrade=True)
    # ensurepip points PIP_CONFIG_FILE at /dev/null; the machine's pip
    # settings (index, certificates, constraints) must apply again.
    os.environ.clear()
    os.environ.update(saved)
    args = [arg for arg in sys.argv[1:] if arg not in UNSUPPORTED]
    if args:
        subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)


if __name__ == "__main__":
    main()
