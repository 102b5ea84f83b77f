// oidc-provider ships no types for these files; the bench's bare provider uses them to give its own
// in-memory adapter room for the token pools (it keeps 1,000 entries by default).
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  export default class MemoryAdapter {
    constructor(model: string, store?: unknown, clockTolerance?: number);
  }
}
declare module 'oidc-provider/lib/helpers/lru.js' {
  export default class LRU {
    constructor(opts: { maxSize: number });
  }
}
