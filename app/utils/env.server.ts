import { parseEnv, type Env } from "./env.ts";

export class EnvError extends Error {
  constructor(readonly errors: string[]) {
    super(`Cercle cannot start: the configuration is not valid.\n${errors.map((e) => `  - ${e}`).join("\n")}\nSee .env.example for every setting.`);
    this.name = "EnvError";
  }
}

let cached: Env | undefined;

/** The validated environment; throws EnvError listing every bad value. */
export function getEnv(): Env {
  if (cached) return cached;
  const result = parseEnv(process.env);
  if (!result.ok) throw new EnvError(result.errors);
  cached = result.env;
  return cached;
}
