/**
 * A TCP relay on loopback between tsplay and a test server, whose connections can be cut at
 * will: the network drop a test cannot otherwise stage without root-only tools (tc, iptables).
 */
import { connect, createServer, type Socket } from 'node:net'

export interface Relay {
  port: number
  /**
   * Drops every open connection: the server's side is reset, as when a route vanishes and
   * the kernel reports it; tsplay's side is closed.
   */
  cut(): void
  close(): Promise<void>
}

export async function startRelay(targetPort: number): Promise<Relay> {
  const pairs = new Set<[Socket, Socket]>()
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    const pair: [Socket, Socket] = [client, upstream]
    pairs.add(pair)
    const drop = (): void => {
      pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const cut = (): void => {
    for (const [client, upstream] of pairs) {
      upstream.resetAndDestroy()
      client.destroy()
    }
    pairs.clear()
  }
  return {
    port,
    cut,
    close() {
      cut()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
