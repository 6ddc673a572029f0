// The worker's current data: only the latest choice lands, and a replaced data set's late training split never
// does. The loader gives real synthetic data whose training part is held back until the test releases it (as a
// slow download of an image set's training split would be), and aborted by the load's signal.
import { describe, expect, it } from 'vitest';
import type { DatasetChoice } from '../protocol.js';
import { CurrentData } from './current-data.js';
import { type LoadDataOptions, loadData, type PreparedData, type TrainingPart } from './datasets.js';

interface Held {
  release(): void;
  signal: AbortSignal;
}

/** A loader whose data's training part arrives when `held.get(choice)!.release()` is called (or fails on abort). */
function heldLoader() {
  const held = new Map<DatasetChoice, Held>();
  const loads: DatasetChoice[] = [];
  const loader = async (choice: DatasetChoice, options: LoadDataOptions): Promise<PreparedData> => {
    loads.push(choice);
    const real = await loadData(choice);
    const part = real.train!;
    const signal = options.signal!;
    let release: () => void = () => undefined;
    const arrived = new Promise<TrainingPart>((resolve, reject) => {
      release = () => resolve(part);
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
    arrived.catch(() => undefined); // an abort nobody waits for is not an unhandled rejection
    held.set(choice, { release, signal });
    let pending: Promise<TrainingPart> | null = null;
    const data: PreparedData = {
      ...real,
      train: null,
      training: () => {
        pending ??= arrived.then((p) => {
          data.train = p;
          return p;
        });
        return pending;
      },
    };
    return data;
  };
  return { loader, held, loads };
}

function setUp() {
  const { loader, held, loads } = heldLoader();
  const reported: string[] = [];
  const errors: unknown[] = [];
  const current = new CurrentData(loader, {
    onTraining: (d) => reported.push(d.name),
    onError: (e) => errors.push(e),
  });
  return { current, held, loads, reported, errors };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('CurrentData', () => {
  it('installs the held-out part at once; the training part is reported once when it arrives', async () => {
    const { current, held, reported } = setUp();
    const d = await current.load('two-moons');
    expect(current.data).toBe(d);
    expect(d?.train).toBeNull();
    current.loadTraining();
    current.loadTraining(); // asked twice, loaded and reported once
    const waiting = current.withTraining();
    await tick();
    expect(reported).toEqual([]);
    held.get('two-moons')!.release();
    expect(await waiting).toBe(d);
    expect(d?.train?.n).toBe(2400);
    expect(reported).toEqual(['two-moons']);
  });

  it('a switch while the training split loads aborts it: it never lands, and what waited for it gets null', async () => {
    const { current, held, reported, errors } = setUp();
    await current.load('two-moons');
    const waiting = current.withTraining(); // a Train press while the training rows load
    const blobs = await current.load('blobs');
    expect(held.get('two-moons')!.signal.aborted).toBe(true);
    expect(await waiting).toBeNull();
    held.get('two-moons')!.release(); // too late: nothing changes
    await tick();
    expect(current.data).toBe(blobs);
    expect(current.choice).toBe('blobs');
    expect(reported).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('only the latest of two loads in flight lands; the earlier is aborted and resolves to null', async () => {
    const { current, held } = setUp();
    const first = current.load('two-moons');
    const second = current.load('blobs');
    expect(await first).toBeNull();
    expect(held.get('two-moons')!.signal.aborted).toBe(true);
    expect(await second).toBe(current.data);
    expect(current.choice).toBe('blobs');
  });

  it('clear drops the data and aborts its training download', async () => {
    const { current, held, reported } = setUp();
    await current.load('two-moons');
    current.loadTraining();
    current.clear();
    expect(held.get('two-moons')!.signal.aborted).toBe(true);
    expect([current.data, current.choice]).toEqual([null, 'csv']);
    expect(await current.withTraining()).toBeNull();
    await tick();
    expect(reported).toEqual([]);
  });
});
