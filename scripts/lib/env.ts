/**
 * Loads .env, .env.local (and the NODE_ENV variants) the way Next.js does, so that
 * scripts and the app launcher see the same configuration as the app.
 */
import nextEnv from "@next/env";

nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production");
