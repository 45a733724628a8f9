// The pure parts of finding namespaces: the container a cgroup path names, nsfs bind mounts in mountinfo, and the
// words --namespace takes. The real namespaces are test/cli/namespaces.test.ts's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerOf, ipcNamespaceMounts } from '../../src/core/namespaces.js';
import { parseNamespaceRef } from '../../src/core/namespace-visit.js';
import { InputError } from '../../src/core/errors.js';

const ID = '6e473bc8febb2bf8878be87b817f429a7200223a2fe3e1b58c2efa173bb14559';

test('containerOf: the cgroup paths of Docker, podman, containerd, CRI-O, nerdctl, kubepods and LXC', () => {
  const cases: Array<[string, { runtime: string; id: string } | null]> = [
    [`0::/system.slice/docker-${ID}.scope\n`, { runtime: 'docker', id: ID }],
    [`12:pids:/docker/${ID}\n11:memory:/docker/${ID}\n`, { runtime: 'docker', id: ID }],
    [`0::/machine.slice/libpod-${ID}.scope/container\n`, { runtime: 'podman', id: ID }],
    [`0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope\n`, { runtime: 'podman', id: ID }],
    [`1:name=systemd:/libpod_parent/libpod-${ID}\n`, { runtime: 'podman', id: ID }],
    [`0::/machine.slice/libpod-conmon-${ID}.scope\n`, null],
    [`0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/cri-containerd-${ID}.scope\n`, { runtime: 'containerd', id: ID }],
    [`0::/kubepods.slice/kubepods-pod99.slice/crio-${ID}.scope\n`, { runtime: 'cri-o', id: ID }],
    [`0::/kubepods/besteffort/pod0b1c/${ID}\n`, { runtime: 'kubernetes', id: ID }],
    [`0::/system.slice/nerdctl-${ID}.scope\n`, { runtime: 'nerdctl', id: ID }],
    [`0::/default/${ID}\n`, { runtime: 'containerd', id: ID }],
    ['0::/lxc.payload.web1\n', { runtime: 'lxc', id: 'web1' }],
    ['4:memory:/lxc/db\n', { runtime: 'lxc', id: 'db' }],
    ['0::/\n', null],
    ['0::/user.slice/user-1000.slice/session-2.scope\n', null],
    // 32 hex digits is no container id (this sandbox's own memory cgroup looks so)
    ['4:memory:/process_api/469bbf22081d90df7680b6972e6c9a2d\n0::/\n', null],
    [`0::/system.slice/docker-${ID.slice(1)}.scope\n`, null],
    ['', null],
  ];
  for (const [text, want] of cases) assert.deepEqual(containerOf(text), want, text);
});

test('ipcNamespaceMounts: nsfs mounts of IPC namespaces, with mountinfo\'s escapes undone; others left out', () => {
  const info = [
    '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
    '46 26 0:4 ipc:[4026532178] /tmp/nsf rw - nsfs nsfs rw',
    '47 26 0:4 ipc:[4026532200] /run/my\\040ns rw shared:5 - nsfs nsfs rw',
    '48 26 0:4 net:[4026532300] /run/netns/a rw - nsfs nsfs rw',
    '49 26 0:40 / /tmp/ipc:[1] rw - tmpfs tmpfs rw',
  ].join('\n');
  assert.deepEqual(ipcNamespaceMounts(info), [
    { inode: 4026532178, mountPoint: '/tmp/nsf' },
    { inode: 4026532200, mountPoint: '/run/my ns' },
  ]);
});

test('parseNamespaceRef: a pid, an inode, ipc:[INODE] or a path; anything else is refused', () => {
  assert.deepEqual(parseNamespaceRef('812'), { pid: 812 });
  assert.deepEqual(parseNamespaceRef('4194304'), { pid: 4194304 });
  assert.deepEqual(parseNamespaceRef('4026531839'), { inode: 4026531839 });
  assert.deepEqual(parseNamespaceRef('ipc:[4026532177]'), { inode: 4026532177 });
  assert.deepEqual(parseNamespaceRef('/proc/812/ns/ipc'), { path: '/proc/812/ns/ipc' });
  assert.deepEqual(parseNamespaceRef('./nsfile'), { path: './nsfile' });
  for (const bad of ['', '0', '-3', 'abc', '4294967296', '0x10', '12a']) {
    assert.throws(() => parseNamespaceRef(bad), InputError, bad);
  }
});
