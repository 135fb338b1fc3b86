/**
 * Measuring one benchmark run in this process: wall-clock and CPU seconds, and the resident
 * set size before the run and at its peak (sampled every 50 ms).
 */
import v8 from "node:v8";
import vm from "node:vm";

export type Measured<T> = { value: T; seconds: number; cpuSeconds: number; peakRss: number; before: number };

export async function measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const value = await fn();
    const used = process.cpuUsage(cpu);
    return {
      value,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
      peakRss: Math.max(peak, process.memoryUsage().rss),
      before,
    };
  } finally {
    clearInterval(timer);
  }
}

/** A full garbage collection, so that one measurement does not inherit the previous one's garbage. */
export function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

/** Bytes as whole mebibytes, for the reports. */
export const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
