/** A first-in-first-out queue of waiters with O(1) take (no `Array#shift`). */
export class WaitQueue {
  #items: ((() => void) | undefined)[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(wake: () => void): void {
    this.#items.push(wake);
  }

  take(): (() => void) | undefined {
    const wake = this.#items[this.#head];
    if (!wake) return undefined;
    this.#items[this.#head] = undefined;
    this.#head += 1;
    if (this.#head > 64 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return wake;
  }
}
