"use server";

import { serviceAction } from "@/lib/actions";
import { changeUserRole, createUser, setUserActive } from "@/lib/services/users";

// The page needs only what changed: the user row stays on the server.
export async function setUserActiveAction(input: { userId: number; active: boolean }) {
  return serviceAction("user.manage", (ctx) => setUserActive(ctx, input).then(({ id, active }) => ({ id, active })), ["/users"]);
}

export async function changeUserRoleAction(input: { userId: number; role: string }) {
  return serviceAction("user.role.change", (ctx) => changeUserRole(ctx, input).then(({ id, role }) => ({ id, role })), ["/users"]);
}

export async function createUserAction(input: { email: string; name: string; role: string }) {
  return serviceAction("user.manage", (ctx) => createUser(ctx, input), ["/users"]);
}
