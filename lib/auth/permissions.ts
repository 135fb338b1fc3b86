/**
 * The one table of role → allowed actions. Every page, action, route handler and
 * service verb checks against it; the proxy never decides anything.
 */
export const ROLES = ["annotator", "researcher", "lead", "admin"] as const;
export type Role = (typeof ROLES)[number];

const STAFF: readonly Role[] = ["researcher", "lead", "admin"];
const LEADS: readonly Role[] = ["lead", "admin"];

export const PERMISSIONS = {
  /** Work through a project's queue (membership is checked as well). */
  "task.annotate": ROLES,
  /** See projects, their items and progress beyond one's own membership. */
  "project.read": STAFF,
  "project.write": STAFF,
  /** Add or remove staff (researchers, leads, admins) as project members; anyone with project.write adds annotators. */
  "project.members.staff": LEADS,
  "character.read": STAFF,
  "character.write": STAFF,
  "item.import": STAFF,
  "export.create": STAFF,
  "stats.read": STAFF,
  /** Ask for extra judgments on tasks whose consensus stays uncertain (adaptive overlap). */
  "task.extend": STAFF,
  "token.create": STAFF,
  "judgment.review": LEADS,
  /** Freeze a live turn into a static task (same context and candidates) for other annotators. */
  "live.freeze": LEADS,
  "annotator.manage": LEADS,
  "user.read": LEADS,
  /** Create users and (de)activate them; a lead only annotators (see canManageUser). */
  "user.manage": LEADS,
  "user.role.change": ["admin"],
  "audit.read": LEADS,
  "settings.write": ["admin"],
  /** See the model endpoints (names, models, limits; never a key) to pick them for generation. */
  "endpoint.read": STAFF,
  /** Add, change, test and archive model endpoints: the app calls their URLs (SSRF), so admins only. */
  "endpoint.write": ["admin"],
  /** Start, watch, cancel, resume and retry generation jobs of a project. */
  "generation.create": STAFF,
  /** The version, latency and migrations in /api/health (everyone gets the status). */
  "health.details": STAFF,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * Roles that act on every project. Every other role acts only on the projects it is a
 * member of (project_members, any standing but removed): annotators work there, researchers
 * and leads read, import, export, review and see statistics there. A project of another
 * team answers as a missing one (404). The command line acts as the operator (all projects).
 */
export const ALL_PROJECTS: readonly Role[] = ["admin"];

export function actsOnAllProjects(role: Role): boolean {
  return ALL_PROJECTS.includes(role);
}

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

const RANK: Record<Role, number> = { annotator: 0, researcher: 1, lead: 2, admin: 3 };

/** Whether `actor` may manage (create, deactivate, re-role) a user with role `target`. */
export function canManageUser(actor: Role, target: Role): boolean {
  if (actor === "admin") return true;
  if (actor === "lead") return target === "annotator";
  return false;
}

/** Whether `actor` may give a user the role `to`. Nobody raises a role above their own. */
export function canAssignRole(actor: Role, to: Role): boolean {
  return can(actor, "user.role.change") && RANK[to] <= RANK[actor];
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
