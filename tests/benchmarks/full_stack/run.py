#!/usr/bin/env python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""prime_hermod.stack.site on podman hosts: converge and no-change re-run.

On fresh hosts bench-db, bench-prime and bench-hermod1 (systemd, reached
over SSH, the demo's group_vars): the wall time of the first converge, then
of a re-run that must change nothing, with the tasks it ran and every JVM
(java, keytool) started on the hosts during it. Each run also records the
load average and the CPU time of each host's container and of the
controller, which other work on the machine affects less than wall time. Then Hermod hosts up to
--hermod-hosts are added (one converge, timed on its own) and the re-run is
timed for 1..N Hermod hosts (one inventory per N, since the trust and verify
roles read whole groups), with the default forks and with --forks 4, each
--repeat times. JVM starts are seen through the kernel's process events
(netlink proc connector), so none is missed however short it lives.

With --baseline REF the same is measured, in the same run, for the code of
commit REF (its roles, fixtures and demo variables, from git archive) on
hosts of its own (before-*), beside the working tree's (after-*): both
first converges, then every re-run alternately for the two, so that a
change of the machine's load falls on both.

Usage (from the repository root, in the test virtual environment, as root):
    python tests/benchmarks/full_stack/run.py [--hermod-hosts N] [--repeat N] [--baseline REF] [--keep] [--down]
The figures are printed and written to tests/output/bench/full_stack/figures.json.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from benchlib import ROOT, code_version, figures_path, machine, parse_recap, print_machine, run_benchmark, save_figures  # noqa: E402 pylint: disable=wrong-import-position

WORK = os.path.join(ROOT, 'tests', 'output', 'bench', 'full_stack')
NETWORK = 'phs-bench'
LABEL = 'prime-hermod-stack.bench=true'
JVM_BINARIES = ('java', 'keytool')


def podman(*args, check=True):
    proc = subprocess.run(['podman'] + list(args), capture_output=True, text=True, check=False)
    if check and proc.returncode != 0:
        raise RuntimeError('podman %s failed: %s' % (' '.join(args), proc.stderr.strip()))
    return proc.stdout.strip()


def container(host):
    return 'phs-' + host


def start_host(host):
    """A booted systemd container on the bench network, its apt linked to the shared package pool."""
    cache = os.environ['PHS_CACHE']
    podman('run', '-d', '--name', container(host), '--hostname', host, '--network', NETWORK,
           '--network-alias', host, '--systemd=always', '--tmpfs', '/tmp:rw,exec', '--label', LABEL,
           '-v', '%s/apt-archives:/var/cache/apt/pool' % cache,
           '-v', '%s/ssh/authorized_keys:/root/.ssh/authorized_keys:ro' % cache,
           os.environ['PHS_BASE_IMAGE'], '/sbin/init')
    # systemd answers only once D-Bus is up; until then systemctl fails.
    deadline = time.monotonic() + 60
    while True:
        state = podman('exec', container(host), 'systemctl', 'is-system-running', '--wait', check=False)
        if state in ('running', 'degraded'):
            break
        if time.monotonic() > deadline:
            raise RuntimeError('%s did not finish booting (systemd says %r)' % (host, state))
        time.sleep(1)
    podman('exec', container(host), 'apt-pool', 'link')


def remove_hosts():
    names = podman('ps', '-a', '--filter', 'label=' + LABEL, '--format', '{{.Names}}', check=False).split()
    for name in names:
        podman('exec', name, 'apt-pool', 'save', check=False)
        podman('rm', '-f', '-v', '-t', '5', name, check=False)
    podman('network', 'rm', '-f', NETWORK, check=False)
    return names


class Stack:
    """The code measured and its hosts: <name>-db, <name>-prime and <name>-hermod1..N."""

    def __init__(self, name, tree, collections_path, code, hermod_hosts):
        self.name, self.tree, self.collections_path, self.code = name, tree, collections_path, code
        self.work = os.path.join(WORK, name)
        self.db, self.prime = name + '-db', name + '-prime'
        self.hermods = ['%s-hermod%d' % (name, i) for i in range(1, hermod_hosts + 1)]
        self.hosts = [self.db, self.prime] + self.hermods
        self.inventories = dict((n, os.path.join(self.work, 'hosts-%d.yml' % n)) for n in range(1, hermod_hosts + 1))
        self.figures = {'code': code, 'hermod_hosts': hermod_hosts}


def baseline_stack(ref, hermod_hosts):
    """The code of commit ref, unpacked under the work directory, as a collection of its own."""
    commit = subprocess.run(['git', '-C', ROOT, 'rev-parse', '--short', ref + '^{commit}'], capture_output=True,
                            text=True, check=False)
    if commit.returncode != 0:
        raise RuntimeError('--baseline %s: no such commit (%s)' % (ref, commit.stderr.strip()))
    tree = os.path.join(WORK, 'trees', commit.stdout.strip())
    collections_path = os.path.join(WORK, 'trees', 'collections-' + commit.stdout.strip())
    os.makedirs(tree)
    archive = subprocess.Popen(['git', '-C', ROOT, 'archive', commit.stdout.strip()], stdout=subprocess.PIPE)
    subprocess.run(['tar', '-x', '-C', tree], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise RuntimeError('git archive %s failed' % ref)
    links = os.path.join(collections_path, 'ansible_collections', 'prime_hermod')
    os.makedirs(links)
    os.symlink(tree, os.path.join(links, 'stack'))
    return Stack('before', tree, collections_path, {'commit': commit.stdout.strip(), 'uncommitted_changes': False},
                 hermod_hosts)


def write_inventory(stack, n):
    """An SSH inventory of the stack's database, PRIME and first n Hermod hosts (YAML is a superset of JSON)."""
    def members(hosts):
        return {'hosts': dict((host, {'ansible_host': podman(
            'inspect', '-f', '{{(index .NetworkSettings.Networks "%s").IPAddress}}' % NETWORK, container(host))})
            for host in hosts)}
    inventory = {'all': {
        'vars': {
            'ansible_user': 'root',
            'ansible_ssh_private_key_file': os.path.join(os.environ['PHS_CACHE'], 'ssh', 'id_ed25519'),
            'ansible_ssh_common_args': '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null '
                                       '-o ControlMaster=auto -o ControlPersist=60s',
            'ansible_ssh_pipelining': True,
        },
        'children': {
            'hermod_database': members([stack.db]),
            'prime': members([stack.prime]),
            'hermod': members(stack.hermods[:n]),
        },
    }}
    with open(stack.inventories[n], 'w') as handle:
        json.dump(inventory, handle, indent=1)


def prepare_work_dir(stack):
    """Fixtures, secrets (0600 in a 0700 directory) and the demo's group_vars beside the inventories."""
    work = stack.work
    os.makedirs(os.path.join(work, 'secrets'), mode=0o700)
    os.chmod(work, 0o700)
    fixtures = os.path.join(work, 'fixtures')
    subprocess.run([sys.executable, os.path.join(stack.tree, 'tests/fixtures/standin/build.py'), fixtures],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, os.path.join(stack.tree, 'tests/fixtures/hermod_distribution/build.py'),
                    '--output', os.path.join(fixtures, 'hermod-3.6.1.zip')], check=True, stdout=subprocess.DEVNULL)
    shutil.copytree(os.path.join(stack.tree, 'tests/demo/group_vars'), os.path.join(work, 'group_vars'))
    # Each Hermod host would generate its own key for client prime, and PRIME
    # holds the first one's: give them all the same key, as verify expects.
    path = os.path.join(work, 'group_vars', 'hermod.yml')
    with open(path) as handle:
        text = handle.read()
    given_key = ('  - client_id: prime\n    key: "{{ lookup(\'ansible.builtin.password\', demo_secrets ~ '
                 '\'/hermod_prime_key length=64 chars=digits,abcdef\') }}"\n')
    if '  - client_id: prime\n' not in text:
        sys.exit('tests/demo/group_vars/hermod.yml has no client prime to give a key to')
    with open(path, 'w') as handle:
        handle.write(text.replace('  - client_id: prime\n', given_key, 1))


class JvmWatcher:
    """Every exec of java or keytool on the bench hosts, from the kernel's process events.

    The events name the process by its PID on this machine; /proc/PID/cgroup
    tells which container it runs in.
    """
    NETLINK_CONNECTOR, CN_IDX_PROC, PROC_CN_MCAST_LISTEN, PROC_EVENT_EXEC = 11, 1, 1, 2

    def __init__(self, hosts):
        self.hosts_by_id = dict((podman('inspect', '-f', '{{.Id}}', container(host)), host) for host in hosts)
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, self.NETLINK_CONNECTOR)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.bind((0, self.CN_IDX_PROC))
        self.sock.settimeout(0.2)
        listen = struct.pack('=IIIIHHI', self.CN_IDX_PROC, 1, 0, 0, 4, 0, self.PROC_CN_MCAST_LISTEN)
        self.sock.send(struct.pack('=IHHII', 16 + len(listen), 3, 0, 0, os.getpid()) + listen)
        self.started, self.lost, self.running = {}, 0, True
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()

    def _listen(self):
        while self.running:
            try:
                data = self.sock.recv(256)
            except socket.timeout:
                continue
            except OSError:  # ENOBUFS: the kernel dropped events
                self.lost += 1
                continue
            # nlmsghdr (16 bytes), cn_msg (20), proc_event: what, cpu, timestamp, then pid and tgid.
            if struct.unpack_from('=I', data, 36)[0] == self.PROC_EVENT_EXEC:
                self._note(struct.unpack_from('=ii', data, 52)[1])

    def _note(self, pid):
        try:
            if os.path.basename(os.readlink('/proc/%d/exe' % pid)) not in JVM_BINARIES:
                return
            with open('/proc/%d/cgroup' % pid) as handle:
                found = re.search(r'libpod-([0-9a-f]{64})', handle.read())
            with open('/proc/%d/cmdline' % pid, 'rb') as handle:
                argv = handle.read().decode(errors='replace').split('\0')[:-1]
        except OSError:
            return
        host = self.hosts_by_id.get(found.group(1)) if found else None
        if host:
            self.started[pid] = (host, argv)

    def take(self):
        """The JVMs started since the last take, per host: {host: {what: count}}; and whether events were lost."""
        started, lost = self.started, self.lost
        self.started, self.lost = {}, 0
        counts = collections.defaultdict(collections.Counter)
        for host, argv in started.values():
            counts[host][describe(argv)] += 1
        return dict((host, dict(counter)) for host, counter in sorted(counts.items())), lost

    def stop(self):
        self.running = False
        self.thread.join()
        self.sock.close()


def describe(argv):
    """keytool and its command, a single-file Java program, Tomcat, or the java command line's last word."""
    name = os.path.basename(argv[0])
    args = [arg for arg in argv[1:] if not arg.startswith('-J')]
    if name == 'keytool':
        return 'keytool ' + next((arg for arg in args if arg.startswith('-')), '')
    if any(arg.endswith('.java') for arg in args):
        return 'java ' + os.path.basename(next(arg for arg in args if arg.endswith('.java')))
    if 'org.apache.catalina.startup.Bootstrap' in args:
        return 'java (Tomcat started)'
    return 'java ' + (os.path.basename(args[-1]) if args else '')


def cpu_seconds():
    """CPU time used so far by each bench host (its container's cgroup) and by this script's children."""
    usage = {}
    for line in podman('ps', '--no-trunc', '--filter', 'label=' + LABEL, '--format', '{{.ID}} {{.Names}}').splitlines():
        cid, name = line.split()
        with open('/sys/fs/cgroup/cpuacct/libpod_parent/libpod-%s/cpuacct.usage' % cid) as handle:
            usage[name[len('phs-'):]] = int(handle.read()) / 1e9
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    usage['controller'] = children.ru_utime + children.ru_stime
    return usage


def stop_group(proc):
    """Stop ansible-playbook and every process of its group (fork workers, ssh)."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, signum)
            proc.wait(timeout=30)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def run_site(stack, n, log, forks=None, watcher=None, expect_no_change=True):
    """One ansible-playbook prime_hermod.stack.site: wall time, recap, tasks, JVMs started, load average."""
    cmd = ['ansible-playbook', '-i', stack.inventories[n], 'prime_hermod.stack.site']
    if forks:
        cmd += ['--forks', str(forks)]
    # profile_tasks puts each task's duration in the log, to see where a run spends its time.
    env = dict(os.environ, PHS_DEMO_DIR=stack.work, ANSIBLE_COLLECTIONS_PATH=stack.collections_path,
               ANSIBLE_PYTHON_INTERPRETER='auto_silent', ANSIBLE_NOCOLOR='1',
               ANSIBLE_CALLBACKS_ENABLED='ansible.posix.profile_tasks', PROFILE_TASKS_TASK_OUTPUT_LIMIT='15')
    if watcher:
        watcher.take()
    load = [round(os.getloadavg()[0], 2)]
    cpu = cpu_seconds()
    start = time.monotonic()
    with open(log, 'w') as handle:
        # In its own process group, so that an interrupted run stops its fork workers too.
        proc = subprocess.Popen(cmd, cwd=stack.work, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            rc = proc.wait()
        except BaseException:
            stop_group(proc)
            raise
    seconds = round(time.monotonic() - start, 1)
    load.append(round(os.getloadavg()[0], 2))
    # The stack's own hosts and the controller; the other stack's hosts idle meanwhile.
    cpu = dict((name, round(used - cpu.get(name, 0), 1)) for name, used in cpu_seconds().items()
               if name in stack.hosts or name == 'controller')
    with open(log) as handle:
        lines = handle.read().splitlines()
    recap = parse_recap(lines)
    if rc != 0 or not recap or (expect_no_change and any(host['changed'] for host in recap.values())):
        raise RuntimeError('%s: exit %d, recap %s; see %s' % (' '.join(cmd), rc, json.dumps(recap), log))
    result = {
        'seconds': seconds, 'forks': forks or 'default', 'load_average': load, 'cpu_seconds': cpu, 'recap': recap,
        'task_banners': sum(1 for line in lines if line.startswith('TASK [')),
        'handler_banners': sum(1 for line in lines if line.startswith('RUNNING HANDLER [')),
        # Ansible's ok already counts the changed results.
        'task_results': dict((host, r['ok'] + r['skipped'] + r['failed']) for host, r in recap.items()),
    }
    if watcher:
        jvms, lost = watcher.take()
        result['jvms'] = dict((host, what) for host, what in jvms.items() if host in stack.hosts)
        result['jvms_total'] = sum(sum(what.values()) for what in result['jvms'].values())
        if lost:
            result['jvm_events_lost'] = lost
    return result


def host_controller_cpu(result):
    cpu = result['cpu_seconds']
    return sum(v for k, v in cpu.items() if k != 'controller'), cpu['controller']


def print_stack(name, figures):
    print('%s: commit %s%s' % (name, figures['code']['commit'],
                               ' with uncommitted changes' if figures['code']['uncommitted_changes'] else ''))
    first, rerun = figures['first_converge'], figures['rerun']
    print('1 Hermod host: first converge %.1f s (load %s), no-change re-run %.1f s (load %s)' % (
        first['seconds'], first['load_average'], rerun['seconds'], rerun['load_average']))
    print('  re-run: %d TASK banners; task results per host %s' % (rerun['task_banners'], rerun['task_results']))
    print('  re-run: CPU seconds %s' % rerun['cpu_seconds'])
    print('  re-run: %d JVMs started%s' % (rerun['jvms_total'], ' (events lost!)' if 'jvm_events_lost' in rerun else ''))
    for host, what in rerun['jvms'].items():
        print('    %s: %s' % (host, ', '.join('%d x %s' % (n, w) for w, n in sorted(what.items()))))
    if 'add_hosts' in figures:
        print('Converge adding Hermod hosts up to %d: %.1f s (load %s)' % (
            figures['hermod_hosts'], figures['add_hosts']['seconds'], figures['add_hosts']['load_average']))
    for row in figures['scaling']:
        print('N=%d forks=%-7s re-run s: %s mean %.1f; tasks %d; JVMs %s; CPU s hosts/controller %s; load %s' % (
            row['hermod_hosts'], row['forks'], ' / '.join('%.1f' % r['seconds'] for r in row['runs']), row['mean'],
            row['runs'][0]['task_banners'], ' / '.join(str(r['jvms_total']) for r in row['runs']),
            ' / '.join('%.0f+%.0f' % host_controller_cpu(r) for r in row['runs']),
            ' / '.join('%s-%s' % tuple(r['load_average']) for r in row['runs'])))


def compare(before, after):
    """The after / before ratios of the no-change re-runs, and what each added Hermod host adds."""
    rows = []
    for old, new in zip(before['scaling'], after['scaling']):
        rows.append({'hermod_hosts': old['hermod_hosts'], 'forks': old['forks'],
                     'seconds_ratio': round(new['mean'] / old['mean'], 3),
                     'task_banners': [old['runs'][0]['task_banners'], new['runs'][0]['task_banners']],
                     'jvms': [old['runs'][0]['jvms_total'], new['runs'][0]['jvms_total']]})
    comparison = {'rerun_seconds_ratio': round(after['rerun']['seconds'] / before['rerun']['seconds'], 3),
                  'scaling': rows}
    default = [row for row in rows if row['forks'] == 'default']
    if len(default) > 1:
        hosts = default[-1]['hermod_hosts'] - default[0]['hermod_hosts']
        comparison['per_added_hermod_host'] = dict(
            (what, [round((default[-1][what][i] - default[0][what][i]) / hosts, 1) for i in (0, 1)])
            for what in ('task_banners', 'jvms'))
    return comparison


def print_comparison(comparison):
    print('after / before: no-change re-run with 1 Hermod host %.3f' % comparison['rerun_seconds_ratio'])
    for row in comparison['scaling']:
        print('  N=%d forks=%-7s mean re-run %.3f; TASK banners %d -> %d; JVMs %d -> %d' % (
            row['hermod_hosts'], row['forks'], row['seconds_ratio'], row['task_banners'][0], row['task_banners'][1],
            row['jvms'][0], row['jvms'][1]))
    if 'per_added_hermod_host' in comparison:
        added = comparison['per_added_hermod_host']
        print('  each added Hermod host: TASK banners %s -> %s, JVMs %s -> %s' % (
            added['task_banners'][0], added['task_banners'][1], added['jvms'][0], added['jvms'][1]))


def print_figures(figures):
    print_machine(figures)
    for name, stack in figures['stacks'].items():
        print_stack(name, stack)
    if 'comparison' in figures:
        print_comparison(figures['comparison'])


def benchmark(args, stacks, figures):
    """Each step for every stack in turn, so that the stacks' runs alternate."""
    podman('network', 'create', NETWORK)
    for stack in stacks:
        prepare_work_dir(stack)
        for host in stack.hosts[:3]:
            start_host(host)
        write_inventory(stack, 1)
        print('%s: first converge, then a re-run, with 1 Hermod host (logs in %s)' % (stack.name, stack.work), flush=True)
        stack.figures['first_converge'] = run_site(stack, 1, os.path.join(stack.work, 'first-converge.log'),
                                                   expect_no_change=False)
        for name in os.listdir(os.path.join(stack.work, 'secrets')):
            os.chmod(os.path.join(stack.work, 'secrets', name), 0o600)
    watcher = JvmWatcher([host for stack in stacks for host in stack.hosts[:3]])
    try:
        for stack in stacks:
            stack.figures['rerun'] = run_site(stack, 1, os.path.join(stack.work, 'rerun.log'), watcher=watcher)
    finally:
        watcher.stop()
    for stack in stacks:
        if len(stack.hermods) > 1:
            for host in stack.hermods[1:]:
                start_host(host)
            for n in range(2, len(stack.hermods) + 1):
                write_inventory(stack, n)
            print('%s: converge adding Hermod hosts up to %d' % (stack.name, len(stack.hermods)), flush=True)
            stack.figures['add_hosts'] = run_site(stack, len(stack.hermods), os.path.join(stack.work, 'add-hosts.log'),
                                                  expect_no_change=False)
        stack.rows = dict(((n, forks), {'hermod_hosts': n, 'forks': forks or 'default', 'runs': []})
                          for n in stack.inventories for forks in (None, 4))
        stack.figures['scaling'] = list(stack.rows.values())
    watcher = JvmWatcher([host for stack in stacks for host in stack.hosts])
    try:
        # Interleaved, so a change of the machine's load spreads over all sizes and both stacks.
        for repeat in range(1, args.repeat + 1):
            for key in stacks[0].rows:
                for stack in stacks:
                    row = stack.rows[key]
                    log = os.path.join(stack.work, 'rerun-%d-forks-%s-%d.log' % (key[0], row['forks'], repeat))
                    row['runs'].append(run_site(stack, key[0], log, forks=key[1], watcher=watcher))
                    print('  %s N=%d forks=%s repeat %d: %.1f s' % (
                        stack.name, key[0], row['forks'], repeat, row['runs'][-1]['seconds']), flush=True)
    finally:
        watcher.stop()
    for stack in stacks:
        for row in stack.figures['scaling']:
            row['mean'] = round(statistics.mean(r['seconds'] for r in row['runs']), 1)
    if len(stacks) == 2:
        figures['comparison'] = compare(stacks[0].figures, stacks[1].figures)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--hermod-hosts', type=int, default=4, help='Hermod hosts for the scaling runs (default 4)')
    parser.add_argument('--repeat', type=int, default=2, help='re-runs per size and forks (default 2)')
    parser.add_argument('--baseline', metavar='REF', help='measure commit REF too, in the same run, on hosts of its own')
    parser.add_argument('--keep', action='store_true', help='leave the hosts up at the end')
    parser.add_argument('--down', action='store_true', help='only remove the hosts a --keep run left')
    args = parser.parse_args()
    for name in ('PHS_BASE_IMAGE', 'PHS_CACHE', 'CONTAINERS_CONF', 'ANSIBLE_COLLECTIONS_PATH'):
        if name not in os.environ:
            sys.exit('%s is not set: run from the repository root after . tests/harness/activate.sh' % name)
    if args.hermod_hosts < 1 or args.repeat < 1:
        sys.exit('--hermod-hosts and --repeat must be at least 1')
    if remove_hosts() or args.down:
        print('removed the bench hosts and network %s' % NETWORK)
        if args.down:
            return
    # SIGTERM and SIGHUP end the run like Ctrl-C does: through the finally
    # below. Ctrl-C works even when started in the background, which ignores SIGINT.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda number, frame: sys.exit(128 + number))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK, mode=0o700)
    current = Stack('after' if args.baseline else 'bench', ROOT, os.environ['ANSIBLE_COLLECTIONS_PATH'],
                    code_version(), args.hermod_hosts)
    stacks = ([baseline_stack(args.baseline, args.hermod_hosts)] if args.baseline else []) + [current]
    figures = {'machine': machine(), 'code': code_version(), 'hermod_hosts': args.hermod_hosts, 'repeat': args.repeat,
               'stacks': dict((stack.name, stack.figures) for stack in stacks)}
    try:
        benchmark(args, stacks, figures)
        figures['complete'] = True
    finally:
        if args.keep:
            print('kept the bench hosts; remove them with: python %s --down' % os.path.relpath(__file__, ROOT))
        else:
            print('removed the bench hosts %s and network %s' % (', '.join(remove_hosts()), NETWORK))
        save_figures(WORK, figures)
    print_figures(figures)
    print('Figures: %s; the logs of each stack in %s' % (
        figures_path(WORK), ', '.join(os.path.relpath(stack.work, ROOT) for stack in stacks)))


if __name__ == '__main__':
    run_benchmark(main, 'full_stack')
