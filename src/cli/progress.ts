import ora from 'ora';

/** A spinner on stderr for work whose total is not known in advance. */
export function startSpinner(text: string) {
  const spinner = ora({ text, stream: process.stderr }).start();
  let stopped = false;
  return {
    update(next: string) {
      spinner.text = next;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      spinner.stop();
    },
  };
}
