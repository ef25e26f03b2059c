/** The play's `order:` of hosts. */
export function orderHosts(hosts: readonly string[], order: string): string[] {
  const list = [...hosts]
  switch (order) {
    case 'sorted':
      return list.sort()
    case 'reverse_sorted':
      return list.sort().reverse()
    case 'reverse_inventory':
      return list.reverse()
    case 'shuffle':
      for (let i = list.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1))
        ;[list[i], list[j]] = [list[j] as string, list[i] as string]
      }
      return list
    default:
      return list
  }
}
