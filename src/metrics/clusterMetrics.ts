import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Scrape } from './metricsServer.js';

/**
 * With WORKERS > 1 the primary serves the scrape: it asks every worker for its registry over the cluster's
 * IPC channel and sums them (counters, histograms, pool gauges; key ages take the maximum). Workers only
 * answer; they never listen on the metrics port.
 */
export function clusterScrape(): Scrape {
  const aggregator = new AggregatorRegistry();
  return { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() };
}

/** In a worker: answer the primary's requests with this process's registry. */
export function answerClusterScrapes(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one installs the worker's IPC listener (prom-client does it once per process).
  new AggregatorRegistry();
}

/** A single process serves its own registry. */
export function registryScrape(registry: Registry): Scrape {
  return { contentType: registry.contentType, metrics: () => registry.metrics() };
}
