import type { Paint } from './color.js';

/** Where a renderer writes, and how: what every renderer of a result needs to know. */
export interface Output {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** stderr is a terminal and nothing asked for quiet or JSON: draw spinners and bars. */
  interactive: boolean;
  paint: Paint;
  /** Data: stdout. */
  out(text: string): void;
  /** People: stderr. */
  log(text: string): void;
  warn(text: string): void;
}
