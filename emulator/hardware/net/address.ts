// IPv4 addresses and MAC addresses as the lab writes them: `10.1.1.10/24`, `02:00:00:00:0a:01`.
export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';

export interface Cidr {
  /** The address as a 32-bit unsigned number. */
  readonly address: number;
  readonly prefixLength: number;
}

export function parseIp(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

// Every packet's route and delivery parses the same few address strings: remember the answers (pure
// functions of the text; bounded, so typed-in addresses cannot grow them without limit).
const MEMO_LIMIT = 4096;
/** By text: the parsed address, or null for text that is not one (one lookup answers both). */
const cidrMemo = new Map<string, Cidr | null>();
const hostMemo = new Map<string, string>();

/** `10.1.1.10/24`, or a bare address (taken as /32). */
export function parseCidr(text: string): Cidr | undefined {
  let cidr = cidrMemo.get(text);
  if (cidr === undefined) {
    if (cidrMemo.size >= MEMO_LIMIT) cidrMemo.clear();
    cidr = parseCidrText(text) ?? null;
    cidrMemo.set(text, cidr);
  }
  return cidr ?? undefined;
}

function parseCidrText(text: string): Cidr | undefined {
  const [ip = '', prefix] = text.split('/');
  const address = parseIp(ip);
  const prefixLength = prefix === undefined ? 32 : Number(prefix);
  if (address === undefined || !Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) return undefined;
  return { address, prefixLength };
}

/** How many addresses a network of each prefix length holds (2^(32 - prefix)): a table, not a power per packet. */
const NETWORK_SIZE: readonly number[] = Array.from({ length: 33 }, (_, prefixLength) => 2 ** (32 - prefixLength));

function networkOf(address: number, prefixLength: number): number {
  return Math.floor(address / NETWORK_SIZE[prefixLength]);
}

/** Whether an address (`10.1.1.10` or `10.1.1.10/24`) lies in a network (`10.1.1.0/24`). */
export function inSubnet(address: string, network: string): boolean {
  const host = parseCidr(address);
  const net = parseCidr(network);
  if (!host || !net) return false;
  return networkOf(host.address, net.prefixLength) === networkOf(net.address, net.prefixLength);
}

/** The bare address of `10.1.1.10/24`. */
export function hostOf(cidr: string): string {
  let host = hostMemo.get(cidr);
  if (host === undefined) {
    if (hostMemo.size >= MEMO_LIMIT) hostMemo.clear();
    host = cidr.split('/')[0] ?? cidr;
    hostMemo.set(cidr, host);
  }
  return host;
}

/** A locally administered MAC built from small numbers: macOf(1, 2) = `02:00:00:00:01:02`. */
export function macOf(...parts: number[]): string {
  const bytes = [2, 0, 0, 0, 0, 0];
  parts.slice(-5).forEach((part, index, all) => {
    bytes[6 - all.length + index] = part % 256;
  });
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
