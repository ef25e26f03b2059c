/** A diff is data until a reporter renders it. */
export interface FileDiff {
  /** What the diff is about: a path, `sysctl net.core.somaxconn`, ... */
  header: string
  before: string
  after: string
  /** Labels for the two sides (default: "before: HEADER" / "after: HEADER"). */
  beforeHeader?: string
  afterHeader?: string
}
