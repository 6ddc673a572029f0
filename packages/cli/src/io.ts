/** Where the CLI writes its text (injectable, so tests run `main()` in one process and read what it printed). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bar redrawn in place) or not (one line per epoch). */
  isTTY: boolean;
}
