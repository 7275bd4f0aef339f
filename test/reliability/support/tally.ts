import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * What one test file of the suite counted. The runner
 * (`scripts/reliability.mjs`) adds the files up into the closing line
 * `attacks N, leaks L, faults F survived, lost W`.
 */
export interface TallyCounts {
  /** Distinct attack cases sent. */
  attacks: number;
  /** Responses that showed another academy's data, a row the role may not see, or a 2xx where a refusal was due. */
  leaks: number;
  /** Faults injected that the server came through: alive, recovered, nothing half-written. */
  faults: number;
  /** Writes acknowledged with a 2xx and missing from the database afterwards. */
  lost: number;
  /** Requests sent (for the figures printed by the runner). */
  requests: number;
  /** Figures worth printing (latencies, heap samples), one line each. */
  notes: string[];
}

export interface Tally extends TallyCounts {
  /** Adds a note line, printed by the runner after the run. */
  note(line: string): void;
  /** Writes the counts where the runner reads them (RELIABILITY_RESULTS_DIR); a no-op without it. */
  save(): void;
}

export function createTally(name: string): Tally {
  const tally: Tally = {
    attacks: 0,
    leaks: 0,
    faults: 0,
    lost: 0,
    requests: 0,
    notes: [],
    note(line) {
      tally.notes.push(line);
      console.log(`[${name}] ${line}`);
    },
    save() {
      const dir = process.env.RELIABILITY_RESULTS_DIR;
      if (!dir) return;
      mkdirSync(dir, { recursive: true });
      const { attacks, leaks, faults, lost, requests, notes } = tally;
      writeFileSync(
        join(dir, `${name}.json`),
        JSON.stringify({ name, attacks, leaks, faults, lost, requests, notes }, null, 2),
      );
    },
  };
  return tally;
}
