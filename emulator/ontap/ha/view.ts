// What HA shows the lab window (paths typed in emulator/protocol/ha-view.ts): the cf state for the
// filer's banner, the partner's heartbeat on each channel, and the last takeover for the inspector.
import { haViewPaths } from '../../protocol/ha-view.ts';
import type { HaEnv } from './ha-env.ts';
import type { HaState } from './types.ts';

export function publishHaView(ha: HaState, env: HaEnv): void {
  const self = env.filer.self;
  env.ctx.publish(haViewPaths.state(self), ha.state);
  env.ctx.publish(haViewPaths.enabled(self), ha.enabled);
  env.ctx.publish(haViewPaths.takeoverImpossible(self), ha.takeoverImpossible);
  const last = ha.lastTakeover;
  env.ctx.publish(haViewPaths.lastTakeover(self), last === null ? null : {
    kind: last.kind, trigger: last.trigger, atMs: last.atUs / 1000,
    servingAtMs: last.servingAtUs === null ? null : last.servingAtUs / 1000, steps: last.steps.join('>'), failed: last.failed,
  });
}

export function publishHeartbeatView(ha: HaState, env: HaEnv, ic: boolean, mailbox: boolean): void {
  env.ctx.publish(haViewPaths.partnerHeartbeat(env.filer.self), { ic: ic ? 'ok' : 'lost', mailbox: mailbox ? 'ok' : 'lost' });
}
