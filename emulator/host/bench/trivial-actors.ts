// Trivial actors for the engine benchmark (and the module its worker threads import): a `ticker` wakes
// every `periodUs`, sends one message to its right neighbour and counts what it receives. The engine's
// own overhead is all there is to measure.
import type { ActorBehavior, BehaviorRegistry } from '../../engine/actor.ts';
import type { ActorSpec, CableSpec, LabSpec } from '../../engine/lab-spec.ts';

interface TickerState { periodUs: number; ticks: number; received: number }

const ticker: ActorBehavior<TickerState, { periodUs: number }> = {
  kind: 'ticker',
  ports: () => ['l', 'r'],
  create: (config) => ({ periodUs: config.periodUs, ticks: 0, received: 0 }),
  handle(state, event, ctx) {
    if (event.type === 'start' || event.type === 'timer') {
      state.ticks++;
      ctx.send('r', { kind: 'tick', n: state.ticks });
      ctx.setTimer(state.periodUs, { kind: 'tick' });
    } else if (event.type === 'message') {
      state.received++;
    }
  },
  summarize: (state) => ({ tickers: { ticks: state.ticks } }),
};

export const behaviors: BehaviorRegistry = { ticker };

/** A ring of tickers; with `grouped`, each has its own placement group (a worker each in `workers`). */
export function tickerRing(count: number, periodUs: number, grouped: boolean): LabSpec {
  const actors: ActorSpec[] = [];
  const cables: CableSpec[] = [];
  for (let index = 0; index < count; index++) {
    actors.push({ id: `t${index}`, kind: 'ticker', config: { periodUs }, ...(grouped ? { placementGroup: `t${index}` } : {}) });
    cables.push({ id: `c${index}`, kind: 'ethernet', a: { actor: `t${index}`, port: 'r' }, b: { actor: `t${(index + 1) % count}`, port: 'l' } });
  }
  return { name: `ticker-ring-${count}`, actors, cables };
}

export const TRIVIAL_REGISTRY_URL = new URL('./trivial-actors.ts', import.meta.url).href;
