import { measure, median, scaledProbe } from '../src/measure';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('measure', () => {
  const counter = () => {
    let runs = 0;
    return {
      run: async () => void runs++,
      get runs() {
        return runs;
      },
    };
  };

  it('runs one warm-up and the asked repetitions when they fit', async () => {
    const c = counter();
    const m = await measure({ probe: async () => 0.001, run: c.run, reps: 3, budget: 10 });
    expect(m.status).toBe('ok');
    expect(m.status === 'ok' && m.times.length).toBe(3);
    expect(c.runs).toBe(4);
  });

  it('cuts repetitions to the budget, then the warm-up', async () => {
    const c = counter();
    // 4 s per run, 10 s budget: warm-up + 1 rep fit (8 s), warm-up + 2 would not (12 s).
    const m = await measure({ probe: async () => 4, run: c.run, reps: 5, budget: 10 });
    expect(m).toMatchObject({ status: 'ok', note: 'budget: 1 rep' });
    expect(c.runs).toBe(2);
    const d = counter();
    const n = await measure({ probe: async () => 7, run: d.run, reps: 5, budget: 10 });
    expect(n).toMatchObject({ status: 'ok', note: 'budget: 1 rep, no warm-up' });
    expect(d.runs).toBe(1);
  });

  it('skips a stage whose single run is projected over the budget, without running it', async () => {
    const c = counter();
    const m = await measure({ probe: async () => 11, run: c.run, reps: 1, budget: 10 });
    expect(m.status).toBe('skipped');
    expect(m.status === 'skipped' && m.reason).toMatch(/projected 11\.0 s per run > budget 10 s$/);
    expect(c.runs).toBe(0);
  });
});

describe('scaledProbe', () => {
  const sleeper = (ms: number) => {
    const calls = { n: 0 };
    const f = () => new Promise<void>((r) => setTimeout(() => (calls.n++, r()), ms));
    return { f, calls };
  };

  it('stops after the cold single when the stage is hopeless', async () => {
    const single = sleeper(20);
    const batch = sleeper(1);
    // ≥ 20 ms × 100 = 2 s against 0.1 s: more than 8× over, no second look.
    const est = await scaledProbe({ single: single.f, singleScale: 100, batch: batch.f, budget: 0.1 });
    expect(est).toBeGreaterThanOrEqual(2 * 0.9);
    expect([single.calls.n, batch.calls.n]).toEqual([1, 0]);
  });

  it('tries a real batch when singles look over budget but might fit', async () => {
    const single = sleeper(20);
    const batch = sleeper(10);
    // singles: ~2 s > 1 s budget; batch: ~10 ms × 10 = 0.1 s.
    const est = await scaledProbe({ single: single.f, singleScale: 100, batch: batch.f, batchScale: 10, budget: 1 });
    expect([single.calls.n, batch.calls.n]).toEqual([2, 1]);
    expect(est).toBeLessThan(1);
  });
});
