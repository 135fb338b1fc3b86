import type { MessageKey } from "@/lib/i18n";
import { can, type Permission, type Role } from "./permissions";

export type NavItem = { href: string; label: MessageKey; permission?: Permission };

/** Every page reachable from the navigation, with the permission it needs. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "nav.home" },
  { href: "/history", label: "nav.history", permission: "task.annotate" },
  { href: "/projects", label: "nav.projects", permission: "project.read" },
  { href: "/characters", label: "nav.characters", permission: "character.read" },
  { href: "/tokens", label: "nav.tokens", permission: "token.create" },
  { href: "/endpoints", label: "nav.endpoints", permission: "endpoint.read" },
  { href: "/review", label: "nav.review", permission: "judgment.review" },
  { href: "/annotators", label: "nav.annotators", permission: "annotator.manage" },
  { href: "/users", label: "nav.users", permission: "user.read" },
  { href: "/audit", label: "nav.audit", permission: "audit.read" },
];

/** The navigation a role sees: exactly the pages it may open. */
export function navigationFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.permission || can(role, item.permission));
}
