// Reads one environment variable at a time, collecting every problem so loadConfig can name them all at once.

export function reader(env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const raw = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  return {
    problems,
    raw,
    str(name: string, fallback: string): string {
      return raw(name) ?? fallback;
    },
    int(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
      const v = raw(name);
      if (v === undefined) return fallback;
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
        problems.push(`${name} must be a whole number from ${min} to ${max} (got "${v}")`);
        return fallback;
      }
      return Number(v);
    },
    bool(name: string, fallback: boolean): boolean {
      const v = raw(name);
      if (v === undefined) return fallback;
      if (['1', 'true', 'yes', 'on'].includes(v.toLowerCase())) return true;
      if (['0', 'false', 'no', 'off'].includes(v.toLowerCase())) return false;
      problems.push(`${name} must be true or false (got "${v}")`);
      return fallback;
    },
    url(name: string, fallback: string | undefined, protocols: string[]): string | undefined {
      const v = raw(name) ?? fallback;
      if (v === undefined) return undefined;
      try {
        const u = new URL(v);
        if (!protocols.includes(u.protocol)) throw new Error('protocol');
        return v;
      } catch {
        problems.push(`${name} must be a ${protocols.join(' or ')} URL (got "${v}")`);
        return fallback;
      }
    },
  };
}

export type EnvReader = ReturnType<typeof reader>;
