// A progress bar for long work on a terminal; plain lines when output is not a TTY (CI, logs).
import cliProgress from 'cli-progress';

export function progressBar(label: string) {
  if (!process.stderr.isTTY) {
    let last = -1;
    return {
      update(done: number, total: number) {
        const pct = Math.floor((done / total) * 10) * 10;
        if (pct !== last) console.error(`${label}: ${pct}% (${done}/${total})`);
        last = pct;
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total} ETA {eta}s`, stream: process.stderr }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done: number, total: number) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}
