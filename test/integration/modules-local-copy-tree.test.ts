/** copy of controller directories, remote_src and the results Ansible's copy gives, on the local host. */
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { converge, runTestModule, tempDir } from '../helpers/module-harness.js'

const mode = (p: string): string => (statSync(p).mode & 0o7777).toString(8).padStart(4, '0')

/** files/tree: a.txt, sub/b.txt, sub/link-to-a -> ../a.txt, sub/dangling -> nowhere */
function tree(): string {
  const base = tempDir()
  mkdirSync(join(base, 'tree', 'sub'), { recursive: true })
  writeFileSync(join(base, 'tree', 'a.txt'), 'a\n')
  writeFileSync(join(base, 'tree', 'sub', 'b.txt'), 'b\n')
  symlinkSync('../a.txt', join(base, 'tree', 'sub', 'link-to-a'))
  symlinkSync('nowhere', join(base, 'tree', 'sub', 'dangling'))
  return base
}

describe('copy of a controller directory', () => {
  it('copies the directory itself without a trailing slash, with directory_mode, predicted in check mode', async () => {
    const base = tree()
    const dest = tempDir()
    const { real } = await converge('copy', { src: 'tree', dest, directory_mode: '0750' }, dest, { baseDir: base })
    expect(readFileSync(join(dest, 'tree', 'a.txt'), 'utf8')).toBe('a\n')
    expect(readFileSync(join(dest, 'tree', 'sub', 'b.txt'), 'utf8')).toBe('b\n')
    expect(mode(join(dest, 'tree', 'sub'))).toBe('0750')
    // local_follow (the default): a link to a file brings the file; a broken link stays a link.
    expect(lstatSync(join(dest, 'tree', 'sub', 'link-to-a')).isSymbolicLink()).toBe(false)
    expect(readlinkSync(join(dest, 'tree', 'sub', 'dangling'))).toBe('nowhere')
    expect(real.result).toMatchObject({ dest: `${dest}/`, changed: true })
  })

  it('copies what is inside with a trailing slash, and links as links with local_follow=false', async () => {
    const base = tree()
    const dest = join(tempDir(), 'new')
    await converge('copy', { src: 'tree/', dest, local_follow: false }, join(dest, '..'), { baseDir: base })
    expect(readFileSync(join(dest, 'a.txt'), 'utf8')).toBe('a\n')
    expect(existsSync(join(dest, 'tree'))).toBe(false)
    expect(readlinkSync(join(dest, 'sub', 'link-to-a'))).toBe('../a.txt')
  })

  it("gives the one file's result when the tree holds one file", async () => {
    const base = tempDir()
    mkdirSync(join(base, 'one'))
    writeFileSync(join(base, 'one', 'only.txt'), 'only\n')
    const dest = tempDir()
    const out = await runTestModule('copy', { src: 'one/', dest }, { baseDir: base })
    expect(out.result).toMatchObject({ dest: join(dest, 'only.txt'), checksum: createHash('sha1').update('only\n').digest('hex'), changed: true, state: 'file' })
  })
})

describe('copy results and remote_src', () => {
  it('reports md5sum when it copies, and the dest’s owner, mode and size', async () => {
    const dir = tempDir()
    const dest = join(dir, 'f')
    const out = await runTestModule('copy', { dest, content: 'foo.txt\n', mode: '0640' })
    expect(out.result).toMatchObject({ md5sum: createHash('md5').update('foo.txt\n').digest('hex'), mode: '0640', size: 8, state: 'file' })
    const again = await runTestModule('copy', { dest, content: 'foo.txt\n', mode: '0640' })
    expect(again.result['md5sum'], 'an unchanged file goes through the file module in Ansible: no md5sum').toBeUndefined()
  })

  it('copies a file already on the host with remote_src, expanding its path there', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'orig'), 'remote\n')
    chmodSync(join(dir, 'orig'), 0o600)
    const dest = join(dir, 'copy')
    const { real } = await converge('copy', { src: join(dir, 'orig'), dest, remote_src: true, mode: 'preserve' }, dir)
    expect(readFileSync(dest, 'utf8')).toBe('remote\n')
    expect(mode(dest)).toBe('0600')
    expect(real.result['src']).toBe(join(dir, 'orig'))
    const missing = await runTestModule('copy', { src: '$HOME/no-such-file-xyz', dest, remote_src: true })
    expect(missing.msg).toBe(`Source ${process.env['HOME'] ?? ''}/no-such-file-xyz not found`)
  })

  it('refuses a vaulted src it cannot decrypt, and copies it as it is with decrypt=false', async () => {
    const base = tempDir()
    writeFileSync(join(base, 'secret'), '$ANSIBLE_VAULT;1.1;AES256\n6162\n')
    const dest = join(tempDir(), 'secret')
    expect((await runTestModule('copy', { src: 'secret', dest }, { baseDir: base })).msg).toMatch(/cannot decrypt a vaulted src/)
    expect((await runTestModule('copy', { src: 'secret', dest, decrypt: false }, { baseDir: base })).status).toBe('changed')
    expect(readFileSync(dest, 'utf8')).toContain('$ANSIBLE_VAULT')
  })
})
