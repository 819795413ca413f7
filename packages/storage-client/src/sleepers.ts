/** Backoff waits that can all be cut short at once, when a flush or close wants delivery to go on now. */
export class Sleepers {
  private readonly waiting = new Set<() => void>();

  /** Resolves after `ms`, or earlier on `wakeAll()`. The timer does not keep the process alive. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.waiting.add(wake);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.waiting]) wake();
  }
}
