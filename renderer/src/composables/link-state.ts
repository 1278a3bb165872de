// A cable end's light, from what the lab published. The hardware publishes `<actor>.ports.<port>.link`
// (true/false or 'up'/'down'); an end the trainee pulled is `unplugged` whatever the port says.
export type LinkLight = 'up' | 'down' | 'unplugged' | 'unknown';

export function linkLight(state: Readonly<Record<string, unknown>>, unplugged: readonly string[], actor: string, port: string): LinkLight {
  if (unplugged.includes(`${actor}:${port}`)) return 'unplugged';
  const value = state[`${actor}.ports.${port}.link`];
  if (value === true || value === 'up') return 'up';
  if (value === false || value === 'down') return 'down';
  return 'unknown';
}

export function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
