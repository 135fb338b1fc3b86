import type { Db } from "@/db/client";
import type { Role } from "@/lib/auth/permissions";

/** The user a service verb acts for, as re-read from the database for this request. */
export type Actor = { id: number; email: string; name: string; role: Role; locale: string | null };

/** What every service verb receives: the database and who is asking. */
export type ServiceContext = { db: Db; actor: Actor };

/** The command line and the background upkeep act as nobody in particular (they are trusted with the database). */
export type CliContext = { db: Db; actor: null };
