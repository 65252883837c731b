/**
 * Simulated time. Sim time runs `timeScale` times faster than real time and can also be moved by hand, so a
 * test can run a 3600 s SA lifetime in milliseconds. Nothing ticks: the model computes state from `now()`
 * when asked, which is what lets one process hold 10,000 routers.
 */
export class SimClock {
  private realAnchor: number;
  private simAnchor: number;
  private scale: number;

  /** @param timeScale sim seconds per real second (0 freezes time; `advance` still moves it). */
  constructor(timeScale = 1, start = Date.now()) {
    this.realAnchor = Date.now();
    this.simAnchor = start;
    this.scale = timeScale;
  }

  /** Sim time in ms since the epoch. */
  now(): number {
    return this.simAnchor + (Date.now() - this.realAnchor) * this.scale;
  }

  get timeScale(): number {
    return this.scale;
  }

  /** Changes the speed from now on; the current sim time is kept. */
  setTimeScale(timeScale: number): void {
    this.rebase();
    this.scale = timeScale;
  }

  /** Jumps sim time forward. */
  advance(seconds: number): void {
    this.rebase();
    this.simAnchor += seconds * 1000;
  }

  private rebase(): void {
    const simNow = this.now();
    this.realAnchor = Date.now();
    this.simAnchor = simNow;
  }
}
