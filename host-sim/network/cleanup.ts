// Last-chance cleanup of what this process made outside itself (socat processes, network
// namespaces): run on normal exit and on SIGINT, SIGTERM and SIGHUP, then the signal is raised
// again so the process still ends the way it would have. Actions are synchronous and idempotent,
// and each touches only what its owner created (a recorded pid, a namespace it named).

const actions = new Set<() => void>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
let installed = false;

function runAll(): void {
  for (const action of [...actions]) {
    actions.delete(action);
    try {
      action();
    } catch {
      // Best effort at exit: one failed step must not stop the others.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

/** Registers `action` to run at process exit; returns the function that unregisters it. */
export function atExit(action: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on("exit", runAll);
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  actions.add(action);
  return () => actions.delete(action);
}
