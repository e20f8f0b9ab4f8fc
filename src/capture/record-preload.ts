// Loaded into the program by `heapdiff record --on-signal SIG` (with `--import`): the signal sent to
// the program becomes a snapshot, as when it is sent to heapdiff itself. Without this handler the
// signal's default action (for SIGUSR2: terminate) would end the program.
import { markRequest } from '../mark.js';

const signal = process.env.HEAPDIFF_RECORD_SIGNAL;
if (signal && process.env.HEAPDIFF_RECORD) {
  process.on(signal as NodeJS.Signals, () => {
    void markRequest('signal', true);
  });
}
