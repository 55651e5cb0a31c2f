# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every command the harness and the tests run on this machine comes from a package setup.sh installs.

A new machine has only the packages Debian marks essential or required (and
whatever its image adds, which this test does not count on), so a command
whose package is neither that nor in tests/harness/packages.txt, nor pulled
in by one that is, works only where something left it behind. The commands
are read from the harness's shell scripts, the tests' Python (subprocess
argument lists and shutil.which), the controller-side Molecule plays, and
podman's configured runtime and network backend.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SEARCH_PATH = os.pathsep.join([os.environ.get('PATH', ''), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/lib/podman'])

SHELL_WORDS = {
    'if', 'then', 'else', 'elif', 'fi', 'for', 'in', 'do', 'done', 'while', 'until', 'case', 'esac', 'function',
    'local', 'declare', 'export', 'readonly', 'read', 'echo', 'printf', 'cd', 'set', 'shift', 'exit', 'return',
    'trap', 'wait', 'true', 'false', 'test', 'exec', 'eval', 'source', '.', ':', 'mapfile', 'command', 'type',
    'break', 'continue', 'unset', 'builtin', 'pwd', 'umask', 'IFS', 'kill', 'time', 'compgen',
}
FUNCTION = re.compile(r'^\s*([\w-]+)\(\)\s*\{', re.M)
# The file every harness script sources for its environment; its functions are theirs too.
ENV_SCRIPT = os.path.join(ROOT, 'tests', 'harness', 'env.sh')
# A command word: at the start of a line or after an operator that starts one.
COMMAND_START = re.compile(r'(?:^|[;&|(!]|\$\(|\bthen\b|\bdo\b|\belse\b|\bif\b|\bwhile\b|\buntil\b|\bxargs(?: -\w+)*\b'
                           r'|\btimeout \d+\b)\s*([A-Za-z][\w.+-]*)(?=\s|$|\))', re.M)
PY_ARGV = re.compile(r"""(?:run|check_output|check_call|Popen|call)\(\s*\[\s*['"]([\w.+-]+)['"]""")
PY_WHICH = re.compile(r"""shutil\.which\(\s*['"]([\w.+-]+)['"]""")
YAML_ARGV = re.compile(r'argv:\s*\[\s*([\w.+-]+)')


def tracked(*patterns):
    out = subprocess.run(['git', '-C', ROOT, 'ls-files', '--'] + list(patterns), capture_output=True, text=True,
                         check=True).stdout
    return [os.path.join(ROOT, name) for name in out.split()]


def host_side_scripts():
    """Scripts that Molecule runs on the test hosts with the script module, not on this machine."""
    names = set()
    for play in tracked('molecule/*.yml', 'molecule/*/*.yml'):
        with open(play) as handle:
            names.update(re.findall(r'cmd:\s*files/([\w.-]+\.sh)', handle.read()))
    return names


def unquoted(text):
    """TEXT with the contents of quoted strings and comments removed, here-documents dropped."""
    text = re.sub(r"<<-?\s*'?(\w+)'?(.*?)\n.*?\n\s*\1\n", r'\2\n', text, flags=re.S)
    out, quote, i = [], None, 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == '\\' and quote == '"':
                i += 1
            elif char == quote:
                quote = None
                out.append(char)
        elif char in '\'"':
            quote = char
            out.append(char)
        elif char == '\\':
            out.append(text[i:i + 2] if text[i + 1:i + 2] != '\n' else ' ')
            i += 1
        elif char == '#' and (not out or out[-1] in ' \t\n'):
            while i < len(text) and text[i] != '\n':
                i += 1
            continue
        else:
            out.append(char)
        i += 1
    return ''.join(out)


def shell_functions(path):
    with open(path) as handle:
        return set(FUNCTION.findall(handle.read()))


def shell_commands(path, functions=frozenset()):
    with open(path) as handle:
        text = handle.read()
    functions = set(FUNCTION.findall(text)) | set(functions)
    # Arithmetic, array assignments and case patterns hold no command words.
    text = re.sub(r'\$?\(\(.*?\)\)', '', unquoted(text))
    text = re.sub(r'\w+=\([^)]*\)', '', text)
    text = re.sub(r'(^|\bin\b|;;)\s*[\w*|. -]+\)', r'\1', text, flags=re.M)
    commands = set()
    for word in COMMAND_START.findall(text):
        if '=' not in word and word not in SHELL_WORDS and word not in functions:
            commands.add(word)
    return commands


def python_commands(path):
    with open(path) as handle:
        text = handle.read()
    return set(PY_ARGV.findall(text)) | set(PY_WHICH.findall(text))


def podman_helpers():
    """The runtime podman is configured to use and the network backend's own needs."""
    with open(os.path.join(ROOT, 'tests', 'harness', 'containers.conf')) as handle:
        runtime = re.search(r'^runtime\s*=\s*"([^"]+)"', handle.read(), re.M).group(1)
    # netavark, the network backend, writes the firewall rules with iptables.
    return {runtime, 'netavark', 'aardvark-dns', 'iptables'}


def harness_commands():
    host_side = host_side_scripts()
    sourced = shell_functions(ENV_SCRIPT)
    commands = {}
    for path in tracked('*.sh', '.ci/run'):
        if os.path.basename(path) in host_side:
            continue
        for command in shell_commands(path, sourced):
            commands.setdefault(command, os.path.relpath(path, ROOT))
    for path in tracked('tests/*.py', 'tests/**/*.py'):
        for command in python_commands(path):
            commands.setdefault(command, os.path.relpath(path, ROOT))
    # The plays that create and destroy the test hosts run on the controller; the other shared files run
    # on the test hosts.
    for path in tracked('molecule/_shared/create.yml', 'molecule/_shared/destroy.yml', 'molecule/*/create.yml',
                        'molecule/*/destroy.yml'):
        with open(path) as handle:
            for command in YAML_ARGV.findall(handle.read()):
                commands.setdefault(command, os.path.relpath(path, ROOT))
    for command in podman_helpers():
        commands.setdefault(command, 'tests/harness/containers.conf')
    return commands


def listed_packages():
    names = set()
    with open(os.path.join(ROOT, 'tests', 'harness', 'packages.txt')) as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith('#'):
                names.update(line.split('|'))
    return names


def installed_packages():
    """name -> (essential or required, names it depends on) for every installed package."""
    out = subprocess.run(['dpkg-query', '-W', '-f', '${db:Status-Abbrev}\t${Package}\t${Essential}\t${Priority}\t'
                          '${Depends}, ${Pre-Depends}\t${Provides}\n'], capture_output=True, text=True, check=True)
    packages, provides = {}, {}
    for line in out.stdout.splitlines():
        status, name, essential, priority, depends, provided = line.split('\t')
        if not status.startswith('ii'):
            continue
        names = {re.split(r'[\s(:]', alt.strip())[0] for dep in depends.split(',') for alt in dep.split('|')}
        packages[name] = (essential == 'yes' or priority == 'required', names - {''})
        for virtual in provided.split(','):
            if virtual.strip():
                provides.setdefault(re.split(r'[\s(]', virtual.strip())[0], set()).add(name)
    return packages, provides


def closure(roots, packages, provides):
    """The installed packages that ROOTS bring, following Depends and Pre-Depends."""
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        for real in ({name} if name in packages else set()) | provides.get(name, set()):
            if real not in seen:
                seen.add(real)
                todo.extend(packages[real][1])
    return seen


def owners(paths):
    """path -> the package that installed it (or the file a link of it resolves to), for those dpkg knows."""
    # Since the /usr merge, dpkg may know a file only by its path under /bin, /sbin or /lib.
    names = {path: [path, os.path.realpath(path)] for path in paths}
    for candidates in names.values():
        candidates += [re.sub(r'^/usr/(bin|sbin|lib)/', r'/\1/', name) for name in candidates]
    queried = sorted({name for candidates in names.values() for name in candidates})
    out = subprocess.run(['dpkg-query', '-S'] + queried, capture_output=True, text=True, check=False).stdout
    known = {}
    for line in out.splitlines():
        package, _separator, name = line.partition(': ')
        known[name] = package.split(',')[0].split(':')[0].strip()
    return {path: next(known[name] for name in candidates if name in known)
            for path, candidates in names.items() if any(name in known for name in candidates)}


def from_python_environment(path):
    real = os.path.realpath(path)
    prefixes = {sys.prefix, sys.base_prefix, os.path.expanduser('~/.pyenv')}
    return any(real.startswith(os.path.realpath(prefix) + os.sep) for prefix in prefixes)


@pytest.mark.skipif(shutil.which('dpkg-query') is None, reason='needs a Debian machine (dpkg-query)')
def test_every_command_comes_from_a_package_setup_installs():
    packages, provides = installed_packages()
    listed = listed_packages()
    base = {name for name, (essential, _depends) in packages.items() if essential}
    allowed = closure(base | (listed & set(packages)), packages, provides)
    commands = harness_commands()
    # The scan reads the commands podman, Java, Git and the fixtures are known to need.
    assert {'podman', 'runc', 'iptables', 'debootstrap', 'keytool', 'javac', 'rsync', 'ssh-keygen'} <= set(commands)
    problems = []
    paths = {command: shutil.which(command, path=SEARCH_PATH) for command in commands}
    packages_of = owners([path for path in paths.values() if path])
    for command, where in sorted(commands.items()):
        path = paths[command]
        if path is None:
            problems.append('%s (run by %s) is not on this machine' % (command, where))
        elif path not in packages_of:
            if not from_python_environment(path):
                problems.append('%s (run by %s) is %s, which no Debian package installed' % (command, where, path))
        elif packages_of[path] not in allowed:
            problems.append('%s (run by %s) comes from package %s, which tests/harness/packages.txt does not list'
                            % (command, where, packages_of[path]))
    assert not problems, '\n'.join(problems)


def test_packages_txt_alternatives_are_well_formed():
    for name in listed_packages():
        assert re.fullmatch(r'[a-z0-9][a-z0-9.+-]+', name), name


def release_apt(release, cache):
    """apt-cache arguments that read RELEASE's package lists, fetched into CACHE, not the machine's own."""
    root = os.path.join(cache, release)
    for sub in ('lists/partial', 'cache/archives/partial'):
        os.makedirs(os.path.join(root, sub), exist_ok=True)
    with open(os.path.join(root, 'sources.list'), 'w') as handle:
        handle.write('deb http://deb.debian.org/debian %s main\n' % release)
    options = []
    for key, value in (('Dir::Etc::SourceList', os.path.join(root, 'sources.list')), ('Dir::Etc::SourceParts', '/dev/null'),
                       ('Dir::State::Lists', os.path.join(root, 'lists')), ('Dir::Cache', os.path.join(root, 'cache')),
                       ('Dir::State::status', '/dev/null')):
        options += ['-o', '%s=%s' % (key, value)]
    proc = subprocess.run(['apt-get', '-qq'] + options + ['update'], capture_output=True, text=True, timeout=600,
                          check=False)
    assert proc.returncode == 0, 'apt-get update of %s failed: %s' % (release, proc.stderr)
    return options


def candidates(options, packages):
    """The names among PACKAGES that the release of OPTIONS has a version of, from one apt-cache call."""
    out = subprocess.run(['apt-cache'] + options + ['policy'] + sorted(packages), capture_output=True, text=True,
                         check=True).stdout
    return set(re.findall(r'^(\S+):\n\s+Installed:.*\n\s+Candidate:\s*(?!\(none\))\S+', out, re.M))


# The harness runs on Debian 12 and 13 machines: each need of packages.txt
# must be met there by what that release's apt offers, as setup.sh picks it.
@pytest.mark.skipif(shutil.which('apt-get') is None, reason='needs apt-get')
@pytest.mark.parametrize('release', ['bookworm', 'trixie'])
def test_every_need_is_offered_by_each_release(release):
    cache = os.path.join(os.environ.get('PHS_CACHE') or '/var/cache/prime-hermod-stack', 'apt-lists')
    options = release_apt(release, cache)
    unmet = []
    with open(os.path.join(ROOT, 'tests', 'harness', 'packages.txt')) as handle:
        needs = [line.strip() for line in handle if line.strip() and not line.startswith('#')]
    offered = candidates(options, {name for need in needs for name in need.split('|')})
    for need in needs:
        if not offered & set(need.split('|')):
            unmet.append(need)
    assert not unmet, '%s offers none of: %s' % (release, ', '.join(unmet))
