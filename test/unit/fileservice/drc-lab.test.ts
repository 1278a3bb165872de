// A retried CREATE on a real lab: a scripted NFS probe sends CREATE GUARDED, then the very same call
// again (same xid, as a client whose reply was lost does), then a new CREATE of the same name.
import { describe, it, expect } from 'vitest';
import type { ActorBehavior, ActorContext } from '../../../emulator/engine/actor.ts';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import type { LabSpec } from '../../../emulator/engine/lab-spec.ts';
import { createLab } from '../../../emulator/engine/lab.ts';
import { createFilerBehavior } from '../../../emulator/hardware/filer/filer-actor.ts';
import { addAddress, createIpStack, handleEthFrame, sendIp, type IpStackState } from '../../../emulator/hardware/net/ethernet.ts';
import { switchBehavior } from '../../../emulator/hardware/net/switch-actor.ts';
import { createFileServiceSubsystem } from '../../../emulator/ontap/fileservice/fileservice-subsystem.ts';
import type { FileHandle } from '../../../emulator/ontap/fileservice/file-handle.ts';
import type { NfsReply, NfsRequest } from '../../../emulator/ontap/fileservice/nfs-wire.ts';
import { MemoryDiskSet } from '../../../emulator/ontap/storage/memory-disks.ts';
import { createStorageSubsystem } from '../../../emulator/ontap/storage/storage-subsystem.ts';
import { filerConfig } from '../clients/lab-fixture.ts';

interface ProbeState { ip: IpStackState; root: FileHandle | null; replies: NfsReply[] }

function call(state: ProbeState, ctx: ActorContext, xid: number, request: NfsRequest): void {
  sendIp(state.ip, ctx, { src: '10.1.1.101', dst: '10.1.1.10', protocol: 'nfs', body: { kind: 'nfs.call', xid, request } });
}

const probe: ActorBehavior<ProbeState, unknown> = {
  kind: 'probe',
  ports: () => ['e0'],
  create: () => ({ ip: createIpStack([{ port: 'e0', mac: '02:00:00:c0:01:01' }]), root: null, replies: [] }),
  handle(state, event, ctx) {
    if (event.type === 'start') {
      addAddress(state.ip, ctx, 'e0', '10.1.1.101/24');
      ctx.setTimer(2 * MICROS_PER_SECOND, { kind: 'go' });
    } else if (event.type === 'timer' && event.payload.kind === 'go') {
      call(state, ctx, 1, { proc: 'MNT', path: '/vol/vol1' });
    } else if (event.type === 'message') {
      for (const packet of handleEthFrame(state.ip, ctx, event.port, event.payload)) {
        const reply = packet.body as unknown as NfsReply;
        state.replies.push(reply);
        const create: NfsRequest | null = state.root ? { proc: 'CREATE', dir: state.root, name: 'probe', mode: 'GUARDED' } : null;
        if (reply.xid === 1) {
          state.root = reply.body.fh ?? null;
          if (state.root) call(state, ctx, 100, { proc: 'CREATE', dir: state.root, name: 'probe', mode: 'GUARDED' });
        } else if (create && reply.xid === 100 && state.replies.filter((r) => r.xid === 100).length === 1) {
          call(state, ctx, 100, create); // the retry: same xid
        } else if (create && reply.xid === 100) {
          call(state, ctx, 101, create); // a new call for the same name
        }
      }
    }
  },
  summarize: (state) => ({ probe: { replies: state.replies.map((r) => ({ xid: r.xid, status: r.status, fh: r.body.fh ?? null })) } }),
};

describe('the duplicate request cache on a real lab', () => {
  it('answers a retried CREATE from the cache; a new CREATE of the same name gets EXIST', async () => {
    const disks = new MemoryDiskSet();
    const fileservice = createFileServiceSubsystem(disks);
    const spec: LabSpec = {
      name: 'drc',
      actors: [
        { id: 'filerA', kind: 'filer', config: filerConfig() },
        { id: 'sw1', kind: 'switch', config: { name: 'sw1', ports: 4 } },
        { id: 'probe', kind: 'probe', config: {} },
      ],
      cables: [
        { id: 'a', kind: 'ethernet', a: { actor: 'filerA', port: 'e0a' }, b: { actor: 'sw1', port: 'p1' } },
        { id: 'b', kind: 'ethernet', a: { actor: 'probe', port: 'e0' }, b: { actor: 'sw1', port: 'p2' } },
      ],
    };
    const lab = await createLab({
      spec, seed: 3,
      registry: { filer: createFilerBehavior([createStorageSubsystem(disks), fileservice]), switch: switchBehavior, probe: probe as ActorBehavior },
    });
    await lab.runFor(5 * MICROS_PER_SECOND);
    const summary = await lab.summary() as unknown as { probe: { replies: { xid: number; status: string; fh: FileHandle | null }[] } };
    const replies = summary.probe.replies;
    expect(replies.map((reply) => [reply.xid, reply.status])).toEqual([
      [1, 'NFS3_OK'], [100, 'NFS3_OK'], [100, 'NFS3_OK'], [101, 'NFS3ERR_EXIST'],
    ]);
    expect(replies[2].fh).toEqual(replies[1].fh);
    const filer = summary as unknown as { filers: { filerA: { fileservice: { drcHits: number } } } };
    expect(filer.filers.filerA.fileservice.drcHits).toBe(1);
    await lab.dispose();
  });
});
