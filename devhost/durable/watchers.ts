// Who watches which Durable instance: a change is told to that instance's own watchers, however many are watched.
export class InstanceWatchers<T> {
  private readonly byInstance = new Map<string, Set<(value: T) => void>>();

  /** Calls `listener` on every change of `instanceId`; the returned function stops it. */
  watch(instanceId: string, listener: (value: T) => void): () => void {
    const watching = this.byInstance.get(instanceId) ?? new Set();
    this.byInstance.set(instanceId, watching);
    watching.add(listener);
    return () => {
      watching.delete(listener);
      if (watching.size === 0 && this.byInstance.get(instanceId) === watching)
        this.byInstance.delete(instanceId);
    };
  }

  tell(instanceId: string, value: T): void {
    const watching = this.byInstance.get(instanceId);
    // A copy: a listener may stop watching (or another start) while the change is told.
    if (watching) for (const listener of [...watching]) listener(value);
  }
}
