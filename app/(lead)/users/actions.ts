"use server";

import { serviceAction } from "@/lib/actions";
import { changeUserRole, createUser, setUserActive } from "@/lib/services/users";

export async function setUserActiveAction(input: { userId: number; active: boolean }) {
  return serviceAction(
    "user.manage",
    async (ctx) => {
      const user = await setUserActive(ctx, input);
      return { id: user.id, active: user.active };
    },
    ["/users"],
  );
}

export async function changeUserRoleAction(input: { userId: number; role: string }) {
  return serviceAction(
    "user.role.change",
    async (ctx) => {
      const user = await changeUserRole(ctx, input);
      return { id: user.id, role: user.role };
    },
    ["/users"],
  );
}

export async function createUserAction(input: { email: string; name: string; role: string }) {
  return serviceAction("user.manage", (ctx) => createUser(ctx, input), ["/users"]);
}
