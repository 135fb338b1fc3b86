/**
 * Progress for long CLI runs: a redrawn bar on a terminal, one line per 10 % otherwise
 * (logs and CI stay readable).
 */
export function progressPrinter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastDecile = -1;
  return (
    p: { fraction: number; done: number; failed: number; total: number; ratePerSecond: number | null; etaSeconds: number | null },
    final = false,
  ) => {
    const pct = Math.floor(p.fraction * 100);
    const rate = p.ratePerSecond === null ? "" : `, ${p.ratePerSecond.toFixed(1)}/s`;
    const eta = p.etaSeconds === null || final ? "" : `, ETA ${formatSeconds(p.etaSeconds)}`;
    const text = `${label} ${p.done + p.failed}/${p.total} (${pct} %) — ${p.done} done, ${p.failed} failed${rate}${eta}`;
    if (stream.isTTY) {
      const width = 24;
      const filled = Math.round(p.fraction * width);
      stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${text}\x1b[K${final ? "\n" : ""}`);
      return;
    }
    const decile = Math.floor(pct / 10);
    if (decile > lastDecile || final) {
      lastDecile = decile;
      stream.write(`${text}\n`);
    }
  };
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
