"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { actorFor } from "@/lib/auth/session";
import { changeUserRole, createUser, setUserActive } from "@/lib/services/users";

export async function setUserActiveAction(input: { userId: number; active: boolean }) {
  return runAction(async () => {
    const actor = await actorFor("user.manage");
    const user = await setUserActive({ db: getDb(), actor }, input);
    revalidatePath("/users");
    return { id: user.id, active: user.active };
  });
}

export async function changeUserRoleAction(input: { userId: number; role: string }) {
  return runAction(async () => {
    const actor = await actorFor("user.role.change");
    const user = await changeUserRole({ db: getDb(), actor }, input);
    revalidatePath("/users");
    return { id: user.id, role: user.role };
  });
}

export async function createUserAction(input: { email: string; name: string; role: string }) {
  return runAction(async () => {
    const actor = await actorFor("user.manage");
    const result = await createUser({ db: getDb(), actor }, input);
    revalidatePath("/users");
    return result;
  });
}
