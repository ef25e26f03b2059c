/** What `--help` says is what the commands do. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-help-'))
writeTree(dir, { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - command: echo hello-from-the-task\n' })
const helpOf = async (...command: string[]): Promise<string> => (await tsplay([...command, '--help'])).stdout.replace(/\s+/g, ' ')

describe('tsplay run --help', () => {
  it('says -vvvv shows every command sent, and -vvvv does while -vvv does not', async () => {
    expect(await helpOf('run')).toContain('-vvvv: every command sent to a host')
    const commandLine = /<localhost> .*echo hello-from-the-task/
    const three = await tsplay(['run', 'site.yml', '-vvv'], { cwd: dir })
    expect(three.code).toBe(0)
    expect(three.stdout).not.toMatch(commandLine)
    const four = await tsplay(['run', 'site.yml', '-vvvv'], { cwd: dir })
    expect(four.stdout).toMatch(commandLine)
  })

  it('says where the inventory comes from without -i, and it does come from there', async () => {
    expect(await helpOf('run')).toContain('(default: $TSPLAY_INVENTORY, else $ANSIBLE_INVENTORY)')
    writeTree(dir, { 'from-env.ini': 'envhost ansible_connection=local\n' })
    for (const name of ['TSPLAY_INVENTORY', 'ANSIBLE_INVENTORY']) {
      const hosts = await tsplay(['inventory', '--list'], { cwd: dir, env: { [name]: 'from-env.ini' } })
      expect(JSON.parse(hosts.stdout)._meta.hostvars).toHaveProperty('envhost')
    }
  })
})

describe('the other commands', () => {
  it.each(['inventory', 'test', 'lab up', 'lab status', 'lab ssh', 'lab down'])('tsplay %s --help names the environment default of -i', async (command) => {
    expect(await helpOf(...command.split(' '))).toMatch(/-i, --inventory <source> .*\(default: \$TSPLAY_INVENTORY, else \$ANSIBLE_INVENTORY/)
  })

  it('vault encrypt_string --output writes instead of stdout, and says so', async () => {
    expect(await helpOf('vault', 'encrypt_string')).toContain('--output <file> write the !vault blocks to this file instead of stdout')
    writeTree(dir, { pw: 'pw\n' })
    const r = await tsplay(['vault', 'encrypt_string', '--vault-password-file', 'pw', '--output', 'out.txt', '-n', 'x', 'value'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain('$ANSIBLE_VAULT')
  })
})
