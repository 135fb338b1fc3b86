export function allowedDevOrigins(
  env?: Record<string, string | undefined>,
  interfaces?: Record<string, { address: string; family: string | number; internal: boolean; scopeid?: number }[] | undefined>,
): string[];
