/**
 * The worker's current data set, and the loads that replace it. Only the latest choice counts: a load superseded by
 * a later one (or by `clear`) is aborted and resolves to null, and data that is replaced has its training download
 * aborted, so a late training split of the old data never lands. An image set's training part is fetched on demand
 * (`loadTraining`: after the first figures, or when something needs the training rows) and reported once through
 * `onTraining`, only while its data is still the current one.
 *
 * @example
 * const current = new CurrentData(loadData, {
 *   onTraining: (d) => post({ type: 'trainingLoaded', summary: summarise(d) }),
 *   onError: fail,
 * });
 * const d = await current.load('mnist', { trainRows: null }); // the test split is in; null when superseded
 * current.loadTraining(); // the 60 000 training digits, in the background
 * const ready = await current.withTraining(); // waits for them; null when other data replaced MNIST meanwhile
 */
import type { DatasetChoice } from '../protocol.js';
import type { LoadDataOptions, PreparedData } from './datasets.js';

export type DataLoader = (choice: DatasetChoice, options: LoadDataOptions) => Promise<PreparedData>;

export interface CurrentDataHooks {
  /** The current data's training part has arrived (called once per data set, never for replaced data). */
  onTraining(data: PreparedData): void;
  /** Loading the current data's training part failed (not called when the data was replaced meanwhile). */
  onError(error: unknown): void;
}

export class CurrentData {
  #data: PreparedData | null = null;
  #choice: DatasetChoice = 'mnist';
  /** Counts the loads (and clears) asked for: only the latest one may install its data. */
  #latest = 0;
  /** The load in flight (aborted when a later one starts), and the one whose data is current. */
  #loading: AbortController | null = null;
  #installed: AbortController | null = null;
  /** Data whose training load is being watched (reported through the hooks). */
  readonly #watched = new WeakSet<PreparedData>();

  constructor(
    private readonly loader: DataLoader,
    private readonly hooks: CurrentDataHooks,
  ) {}

  /** The current data (null: none, e.g. "CSV file…" without a file yet). */
  get data(): PreparedData | null {
    return this.#data;
  }

  /** What the current data is (or was asked to be). */
  get choice(): DatasetChoice {
    return this.#choice;
  }

  /**
   * Loads `choice` and makes it the current data once its held-out part is in; the previous data's training
   * download (if any is running) is aborted then. Resolves to null when a later `load` or `clear` superseded this
   * one (its downloads are aborted, and its failure, if any, is nobody's concern).
   */
  async load(choice: DatasetChoice, options: Omit<LoadDataOptions, 'signal'> = {}): Promise<PreparedData | null> {
    const request = ++this.#latest;
    this.#loading?.abort();
    const controller = new AbortController();
    this.#loading = controller;
    let loaded: PreparedData;
    try {
      loaded = await this.loader(choice, { ...options, signal: controller.signal });
    } catch (error) {
      if (request !== this.#latest) return null;
      this.#loading = null;
      throw error;
    }
    if (request !== this.#latest) return null;
    this.#loading = null;
    this.#installed?.abort();
    this.#installed = controller;
    this.#data = loaded;
    this.#choice = choice;
    return loaded;
  }

  /** No data ("CSV file…" without a file): every load in flight and the current training download are aborted. */
  clear(): void {
    this.#latest++;
    this.#loading?.abort();
    this.#installed?.abort();
    this.#loading = null;
    this.#installed = null;
    this.#data = null;
    this.#choice = 'csv';
  }

  /**
   * Starts loading the current data's training part unless it is in or on its way, and reports its arrival (or
   * failure) through the hooks while that data is still current.
   */
  loadTraining(): void {
    const data = this.#data;
    if (!data || data.train || this.#watched.has(data)) return;
    this.#watched.add(data);
    data.training().then(
      () => {
        if (data === this.#data) this.hooks.onTraining(data);
      },
      (error: unknown) => {
        this.#watched.delete(data); // a later request tries again
        if (data === this.#data) this.hooks.onError(error);
      },
    );
  }

  /**
   * The current data with its training part, waiting for it (and starting its load) when needed. Null when there
   * is no data, or when other data replaced it meanwhile: what waited for it is then moot.
   */
  async withTraining(): Promise<PreparedData | null> {
    const data = this.#data;
    if (!data) return null;
    this.loadTraining();
    try {
      await data.training();
    } catch (error) {
      if (data !== this.#data) return null;
      throw error;
    }
    return data === this.#data ? data : null;
  }
}
