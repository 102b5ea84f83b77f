/**
 * Presents every access token of a pool at userinfo once, a few at a time, before a run of repeat reads:
 * the run then meets what a service reading userinfo on every page meets (the first read of each grant,
 * which records the release, is the userinfo_first scenario's).
 */
export async function readEachOnce(
  url: string,
  tokens: readonly string[],
  headers: Record<string, string>,
  concurrency = 8,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tokens.length) {
        const token = tokens[next++];
        const res = await fetch(url, { headers: { ...headers, authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`userinfo before the run answered ${res.status}`);
      }
    }),
  );
}
