// Preloaded into a bench's app process to find stalls (issue #13):
//   BENCH_APP_NODE_ARGS="--import ./bench/lib/loop-delay-probe.mjs --trace-gc" npm run bench:sessions -- --keep
// Every second one line on stderr (the kept app.log): the event loop's delay over that second (max, p99, mean, in
// ms; sampled every 5 ms, so an idle loop reads ~5). A request's latency minus this delay was spent waiting elsewhere
// (the load generator, TLS connection set-up, the emulator), not behind the app's own JavaScript.
// Plain JavaScript: node loads it before tsx is registered.
import { monitorEventLoopDelay } from "node:perf_hooks";

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
const ms = (ns) => (ns / 1e6).toFixed(1);
setInterval(() => {
  process.stderr.write(`event-loop-delay t=${new Date().toISOString()} max=${ms(histogram.max)} p99=${ms(histogram.percentile(99))} mean=${ms(histogram.mean)}\n`);
  histogram.reset();
}, 1000).unref();
