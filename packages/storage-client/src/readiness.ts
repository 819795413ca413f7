/**
 * Whether the storage service answered recently. Any HTTP answer counts, even an error status: the
 * service is there. Only requests that got no answer at all (refused, reset, timed out) count against
 * it, and only once they have gone on for the whole window; an idle publisher is ready.
 */
export class Readiness {
  private unansweredSince: number | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  record(answered: boolean): void {
    if (answered) this.unansweredSince = undefined;
    else this.unansweredSince ??= this.now();
  }

  ready(): boolean {
    return this.unansweredSince === undefined || this.now() - this.unansweredSince < this.windowMs;
  }
}
