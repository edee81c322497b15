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

describe('measure with a clock', () => {
  it('stops repeating once the warm-up and the runs so far would overrun the budget', async () => {
    const clock = fakeClock();
    let runs = 0;
    // Probe says 1 s, so 5 reps + warm-up fit a 10 s budget on paper; each run really takes 3 s.
    const m = await measure({
      probe: async () => 1,
      run: async () => void (runs++, clock.advance(3)),
      reps: 5,
      budget: 10,
      clock: clock.now,
    });
    // warm-up 3 s + rep 3 s = 6 s; 6 + median 3 = 9 ≤ 10 → second rep (12 s); 12 + 3 > 10 → stop.
    expect(m).toMatchObject({ status: 'ok', times: [3, 3], note: 'budget: 2 of 5 reps' });
    expect(runs).toBe(3);
  });
});

/** A clock that moves only when a test says so: timings that do not depend on the machine's load. */
function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (seconds: number) => void (t += seconds) };
}

describe('scaledProbe', () => {
  const work = (clock: ReturnType<typeof fakeClock>, seconds: number) => {
    const calls = { n: 0 };
    const f = async () => void (calls.n++, clock.advance(seconds));
    return { f, calls };
  };

  it('stops after the cold single when the stage is hopeless', async () => {
    const clock = fakeClock();
    const single = work(clock, 0.02);
    const batch = work(clock, 0.001);
    // 20 ms × 100 = 2 s against 0.1 s: more than 8× over, no second look.
    const est = await scaledProbe({
      single: single.f,
      singleScale: 100,
      batch: batch.f,
      budget: 0.1,
      clock: clock.now,
    });
    expect(est).toBeCloseTo(2, 10);
    expect([single.calls.n, batch.calls.n]).toEqual([1, 0]);
  });

  it('tries a real batch when singles look over budget but might fit', async () => {
    const clock = fakeClock();
    const single = work(clock, 0.02);
    const batch = work(clock, 0.01);
    // singles: 2 s > 1 s budget; batch: 10 ms × 10 = 0.1 s.
    const est = await scaledProbe({
      single: single.f,
      singleScale: 100,
      batch: batch.f,
      batchScale: 10,
      budget: 1,
      clock: clock.now,
    });
    expect([single.calls.n, batch.calls.n]).toEqual([2, 1]);
    expect(est).toBeCloseTo(0.1, 10);
  });

  it('keeps the warm single when it fits the budget, without a batch', async () => {
    const clock = fakeClock();
    let calls = 0;
    // cold single pays set-up (50 ms: 5 s per run, over budget but not hopeless), warm single 1 ms: 0.1 s fits 1 s.
    const single = async () => void clock.advance(calls++ === 0 ? 0.05 : 0.001);
    const batch = work(clock, 1);
    const est = await scaledProbe({ single, singleScale: 100, batch: batch.f, budget: 1, clock: clock.now });
    expect(est).toBeCloseTo(0.1, 10);
    expect(batch.calls.n).toBe(0);
  });
});
