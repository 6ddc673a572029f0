/** Names of the four gzipped IDX files in `data/`, by split. */
export declare const files: Readonly<{
  train: { images: string; labels: string };
  test: { images: string; labels: string };
}>;
/** URL of the `data/` folder (a `file:` URL in Node; resolve with `fileURLToPath`). */
export declare const dataUrl: string;
