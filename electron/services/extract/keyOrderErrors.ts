/** Keys of every object reached through plain `properties` must appear in `properties` order. */
export function keyOrderErrors(text: string, schema: unknown): string[] {
  const errors: string[] = [];
  const walk = (s: unknown, v: unknown, at: string): void => {
    if (typeof s !== 'object' || s === null || typeof v !== 'object' || v === null || Array.isArray(v)) return;
    const props = (s as { properties?: Record<string, unknown> }).properties;
    if (props === undefined) return;
    const order = Object.keys(props);
    const seen = Object.keys(v).filter((k) => order.includes(k));
    const expected = [...seen].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    if (seen.join('\0') !== expected.join('\0')) errors.push(`${at || '/'} keys ${seen.join(',')} are not in properties order`);
    for (const k of seen) walk(props[k], (v as Record<string, unknown>)[k], `${at}/${k}`);
  };
  walk(schema, JSON.parse(text), '');
  return errors;
}
