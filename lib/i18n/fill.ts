/**
 * Fills `{name}` placeholders of a message from `vars` (unknown names stay as written).
 * Its own module, so client components use it without pulling the catalogues in.
 */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
