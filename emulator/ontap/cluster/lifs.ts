// Logical interfaces: a vserver's virtual IP addresses by name, as `network interface show` lists them.
// A data vserver's addresses are `<vserver>-a`, `<vserver>-b`, … in lab-file order; a filer's own identity
// (its default vserver) names them after their home ports (`e0a`), as claims.md's vocabulary proposes.
import type { VserverConfig } from '../../hardware/filer/chassis.ts';
import { hostOf } from '../../hardware/net/address.ts';

export interface LifConfig {
  readonly name: string;
  readonly vserver: string;
  /** The address with its prefix, `10.1.1.31/24`. */
  readonly cidr: string;
  readonly address: string;
  readonly homeNode: string;
  readonly homePort: string;
}

export function lifsOf(vserver: VserverConfig): LifConfig[] {
  const identity = vserver.name === vserver.home;
  return vserver.addresses.map((entry, index) => ({
    name: identity ? entry.port : `${vserver.name}-${String.fromCharCode(97 + index)}`,
    vserver: vserver.name, cidr: entry.address, address: hostOf(entry.address), homeNode: vserver.home, homePort: entry.port,
  }));
}

/** The lif that owns an address, among every vserver of the lab. */
export function lifOfAddress(vservers: readonly VserverConfig[], address: string): LifConfig | undefined {
  for (const vserver of vservers) {
    const lif = lifsOf(vserver).find((candidate) => candidate.address === address);
    if (lif) return lif;
  }
  return undefined;
}

export function lifByName(vservers: readonly VserverConfig[], vserver: string, lif: string): LifConfig | undefined {
  const config = vservers.find((candidate) => candidate.name === vserver);
  return config ? lifsOf(config).find((candidate) => candidate.name === lif) : undefined;
}
